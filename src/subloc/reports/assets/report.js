(function(){"use strict";
var d=document,bar=d.getElementById("bar"),root=d.documentElement;
var CATS=["error","warning","info","fixed"];
var chips=[].slice.call(d.querySelectorAll(".chip[data-cat]"));
var sel={rule:d.getElementById("f-rule"),file:d.getElementById("f-file"),lang:d.getElementById("f-lang")};
var only=d.getElementById("f-only"),status=d.getElementById("f-status");
var jobs=[].slice.call(d.querySelectorAll("section.job"));
var conf=d.getElementById("f-conf"),sort=d.getElementById("f-sort");
function data(input){try{return JSON.parse(decodeURIComponent(input.value));}catch(err){return null;}}
var cueData=[];
jobs.forEach(function(job){[].forEach.call(job.querySelectorAll("article.cue"),function(cue,i){
var input=cue.querySelector("input.rv-cue"),c=input?data(input):null;cue.rvPos=i;cue.rvData=c;
cue.rvScore=c&&typeof c.score==="number"?c.score:null;if(c)cueData.push(cue);});});
if(conf){d.getElementById("f-conf-tools").hidden=false;}
var rows=[].slice.call(d.querySelectorAll(".overview tbody tr"));
function fresh(){return{sev:{error:true,warning:true,info:true,fixed:true},rule:"",file:"",lang:"",only:false,conf:"",sort:""};}
var st=fresh();
function has(select,value){return [].some.call(select.options,function(o){return o.value===value;});}
function readHash(){
var h=location.hash.slice(1);st=fresh();if(h.indexOf("=")<0)return;
h.split("&").forEach(function(kv){var i=kv.indexOf("=");if(i<0)return;var k,v;
try{k=decodeURIComponent(kv.slice(0,i));v=decodeURIComponent(kv.slice(i+1));}catch(err){return;}
if(k==="sev"){CATS.forEach(function(c){st.sev[c]=false;});
v.split(",").forEach(function(c){if(CATS.indexOf(c)>=0)st.sev[c]=true;});}
else if(k in sel){if(has(sel[k],v))st[k]=v;}
else if(k==="only"){st.only=v==="1";}
else if(k==="conf"&&conf){if(has(conf,v))st.conf=v;}
else if(k==="sort"&&sort){if(has(sort,v))st.sort=v;}});}
function writeHash(){var p=[],on=CATS.filter(function(c){return st.sev[c];});
if(on.length<CATS.length)p.push("sev="+on.join(","));
["rule","file","lang"].forEach(function(k){if(st[k])p.push(k+"="+encodeURIComponent(st[k]));});
if(st.only)p.push("only=1");
if(st.conf)p.push("conf="+encodeURIComponent(st.conf));
if(st.sort)p.push("sort="+encodeURIComponent(st.sort));
var url=p.length?"#"+p.join("&"):location.pathname+location.search;
try{history.replaceState(null,"",url);}catch(err){}}
function apply(){
chips.forEach(function(b){b.setAttribute("aria-pressed",st.sev[b.dataset.cat]?"true":"false");});
Object.keys(sel).forEach(function(k){sel[k].value=st[k];});only.checked=st.only;
if(conf){conf.value=st.conf;sort.value=st.sort;order();}
var below=st.conf?parseFloat(st.conf):null;
var shown=0,total=0,anyJob=false;
function issueOn(li){return st.sev[li.dataset.cat]&&(!st.rule||li.dataset.rule===st.rule);}
jobs.forEach(function(job){
var on=(!st.file||job.dataset.file===st.file)&&(!st.lang||job.dataset.lang===st.lang);
job.hidden=!on;
[].forEach.call(job.querySelectorAll(".file-issues .issue"),function(li){li.hidden=!issueOn(li);});
[].forEach.call(job.querySelectorAll(".file-issues"),function(box){
box.hidden=!box.querySelector(".issue:not([hidden])");});
var cues=job.querySelectorAll("article.cue"),visible=0;
[].forEach.call(cues,function(cue){var lis=cue.querySelectorAll(".issue"),hit=false;
[].forEach.call(lis,function(li){var v=issueOn(li);li.hidden=!v;if(v)hit=true;});
var v=on&&(hit||(!st.only&&!st.rule))&&(below===null||(cue.rvScore!==null&&cue.rvScore<below));
cue.hidden=!v;if(v)visible++;});
total+=cues.length;shown+=visible;
if(on&&(st.only||st.rule)&&!visible&&!job.querySelector(".file-issues:not([hidden])")
&&!(job.classList.contains("failed")&&st.sev.error))job.hidden=true;
if(!job.hidden)anyJob=true;
var empty=job.querySelector(".empty");if(empty)empty.hidden=cues.length>0&&visible>0;});
rows.forEach(function(tr){tr.hidden=!((!st.file||tr.dataset.file===st.file)&&(!st.lang||tr.dataset.lang===st.lang));});
d.getElementById("empty-all").hidden=anyJob;
d.getElementById("f-reset").hidden=!st.only&&!st.rule&&!st.file&&!st.lang&&!st.conf&&!st.sort&&CATS.every(function(c){return st.sev[c];});
status.textContent=shown===total?total+" cues":"Showing "+shown+" of "+total+" cues";}
function update(){writeHash();apply();}
chips.forEach(function(b){b.addEventListener("click",function(){st.sev[b.dataset.cat]=!st.sev[b.dataset.cat];update();});});
Object.keys(sel).forEach(function(k){sel[k].addEventListener("change",function(){st[k]=sel[k].value;update();});});
only.addEventListener("change",function(){st.only=only.checked;update();});
if(conf){conf.addEventListener("change",function(){st.conf=conf.value;update();});
sort.addEventListener("change",function(){st.sort=sort.value;update();});}
function order(){jobs.forEach(function(job){var body=job.querySelector(".job-body"),
cues=[].slice.call(body.querySelectorAll("article.cue"));if(cues.length<2)return;
cues.sort(function(a,b){if(st.sort==="conf"){var x=a.rvScore===null?1:a.rvScore,y=b.rvScore===null?1:b.rvScore;
if(x!==y)return x-y;}return a.rvPos-b.rvPos;});
var after=body.querySelector(".empty");cues.forEach(function(cue){body.insertBefore(cue,after);});});}
d.getElementById("f-reset").addEventListener("click",function(){st=fresh();update();});
[].forEach.call(d.querySelectorAll(".fold"),function(b){b.addEventListener("click",function(){
var job=b.closest(".job"),c=job.classList.toggle("collapsed");b.setAttribute("aria-expanded",c?"false":"true");});});
function measure(){root.style.setProperty("--bar-h",bar.offsetHeight+"px");}
window.addEventListener("resize",measure);
window.addEventListener("hashchange",function(){if(location.hash.indexOf("=")>=0){readHash();apply();}});
/* Review: edit a target cue, comment, approve; kept in localStorage (per run) until the
corrections are downloaded as one subloc.corrections/1 file for `subloc review import`. */
var rv=d.getElementById("rv"),rvStatus=d.getElementById("rv-status"),run=d.getElementById("rv-run").value;
var KEY="subloc-review:"+run,store={},downloaded=false;
try{store=JSON.parse(localStorage.getItem(KEY)||"{}")||{};}catch(err){store={};}
function save(){try{if(Object.keys(store).length)localStorage.setItem(KEY,JSON.stringify(store));
else localStorage.removeItem(KEY);}catch(err){}tally();}
function tally(){var n=Object.keys(store).length,edits=0,ok=0,notes=0;Object.keys(store).forEach(function(k){var e=store[k];
if(typeof e.target==="string")edits++;if(e.approved)ok++;if(e.comment)notes++;});
rvStatus.textContent=n?edits+" edited, "+ok+" approved, "+notes+" commented"+(downloaded?" (downloaded)":""):
(downloaded?"Corrections downloaded":"No corrections yet");
d.getElementById("rv-download").disabled=!n;d.getElementById("rv-discard").hidden=!n;}
function tags(text){return(text.match(/<[^<>]*>|\{\\[^{}]*\}/g)||[]).sort().join("\n");}
function el(name,cls,text){var e=d.createElement(name);if(cls)e.className=cls;if(text)e.textContent=text;return e;}
function entry(cue){return store[cue.rvKey]||{};}
function put(cue,e){if(typeof e.target!=="string"&&!e.comment&&!e.approved)delete store[cue.rvKey];else store[cue.rvKey]=e;
downloaded=false;save();show(cue);}
function show(cue){var e=entry(cue),c=cue.rvData,tgt=cue.querySelector(".txt.tgt");
if(!cue.rvOriginal)cue.rvOriginal=[].slice.call(tgt.childNodes);
while(tgt.firstChild)tgt.removeChild(tgt.firstChild);
if(typeof e.target==="string"){var lines=e.target.split("\n");lines.forEach(function(line,i){if(i)tgt.appendChild(d.createElement("br"));
tgt.appendChild(d.createTextNode(line));});var was=el("del","rv-was",c.target.replace(/\n/g," / "));was.title="the translation before your edit";
tgt.appendChild(el("br"));tgt.appendChild(was);}else cue.rvOriginal.forEach(function(n){tgt.appendChild(n);});
cue.classList.toggle("rv-edited",typeof e.target==="string");cue.classList.toggle("rv-approved",!!e.approved);
cue.rvApprove.setAttribute("aria-pressed",e.approved?"true":"false");cue.rvApprove.textContent=e.approved?"Approved ✓":"Approve";
cue.rvNote.textContent=e.comment?"Comment: "+e.comment:"";cue.rvNote.hidden=!e.comment;}
function edit(cue){if(cue.querySelector(".rv-form"))return;var e=entry(cue),c=cue.rvData,form=el("div","rv-form");
var area=el("textarea","rv-text");area.value=typeof e.target==="string"?e.target:c.target;area.rows=Math.max(2,area.value.split("\n").length);
area.setAttribute("aria-label","Translation of cue "+c.id);
var note=el("input","rv-comment");note.type="text";note.placeholder="Comment for the team (optional)";note.value=e.comment||"";
note.setAttribute("aria-label","Comment on cue "+c.id);
var error=el("p","rv-error");error.hidden=true;
var bar=el("div","rv-actions"),ok=el("button","rv-save","Save"),cancel=el("button","reset","Cancel"),
back=el("button","reset","Back to the original");[ok,cancel,back].forEach(function(b){b.type="button";bar.appendChild(b);});
ok.addEventListener("click",function(){var text=area.value.replace(/\r\n?/g,"\n").split("\n").map(function(l){return l.trim();})
.filter(function(l){return l;}).join("\n");
if(!text){error.textContent="The translation cannot be empty.";error.hidden=false;return;}
if(tags(text)!==tags(c.target)){error.textContent="Keep the cue's tags as they are: "+(tags(c.target).split("\n").join(" ")||"none")+".";error.hidden=false;return;}
var n=entry(cue);n.target=text===c.target?undefined:text;if(n.target===undefined)delete n.target;
n.comment=note.value.trim()||undefined;if(!n.comment)delete n.comment;form.remove();put(cue,n);});
cancel.addEventListener("click",function(){form.remove();});
back.addEventListener("click",function(){var n=entry(cue);delete n.target;form.remove();put(cue,n);});
form.appendChild(area);form.appendChild(note);form.appendChild(error);form.appendChild(bar);
cue.rvTools.parentNode.insertBefore(form,cue.rvTools.nextSibling);area.focus();}
var editable=0;jobs.forEach(function(job){var input=job.querySelector("input.rv-job"),j=input?data(input):null;if(!j)return;
[].forEach.call(job.querySelectorAll("article.cue"),function(cue){if(!cue.rvData)return;editable++;cue.rvJob=j;cue.rvKey=j.index+":"+cue.rvData.id;
var tools=el("div","rv-tools"),b=el("button","rv-edit","Edit"),a=el("button","rv-approve","Approve");
b.type=a.type="button";b.title="Edit this translation or comment on it";a.title="Mark this translation as approved";
tools.appendChild(b);tools.appendChild(a);cue.rvNote=el("span","rv-note");tools.appendChild(cue.rvNote);
cue.appendChild(tools);cue.rvTools=tools;cue.rvApprove=a;
b.addEventListener("click",function(){edit(cue);});
a.addEventListener("click",function(){var n=entry(cue);n.approved=!n.approved;if(!n.approved)delete n.approved;put(cue,n);});
show(cue);});});
function corrections(){var out={},order=[];cueData.forEach(function(cue){var e=store[cue.rvKey];if(!e||!cue.rvJob)return;
var j=cue.rvJob,k=String(j.index);if(!out[k]){out[k]={source:j.source,target:j.target,source_lang:j.source_lang,target_lang:j.target_lang,cues:[]};order.push(k);}
var c=cue.rvData,item={id:c.id,start_ms:c.start,end_ms:c.end,source:c.source,mt:c.target,approved:!!e.approved};
if(typeof e.target==="string")item.target=e.target;if(e.comment)item.comment=e.comment;out[k].cues.push(item);});
return{schema:"subloc.corrections/1",run_id:run,jobs:order.map(function(k){return out[k];})};}
d.getElementById("rv-download").addEventListener("click",function(){
var a=d.createElement("a");
a.href="data:application/json;charset=utf-8,"+encodeURIComponent(JSON.stringify(corrections(),null,2)+"\n");
a.download="corrections-"+run+".json";d.body.appendChild(a);a.click();a.remove();
downloaded=true;try{localStorage.removeItem(KEY);}catch(err){}tally();});
d.getElementById("rv-discard").addEventListener("click",function(){store={};save();cueData.forEach(function(cue){if(cue.rvKey)show(cue);});});
if(editable){rv.hidden=false;tally();}
measure();readHash();apply();})();
