(function(){"use strict";
var d=document,bar=d.getElementById("bar"),root=d.documentElement;
var CATS=["error","warning","info","fixed"];
var chips=[].slice.call(d.querySelectorAll(".chip[data-cat]"));
var sel={rule:d.getElementById("f-rule"),file:d.getElementById("f-file"),lang:d.getElementById("f-lang")};
var only=d.getElementById("f-only"),status=d.getElementById("f-status");
var jobs=[].slice.call(d.querySelectorAll("section.job"));
var rows=[].slice.call(d.querySelectorAll(".overview tbody tr"));
function fresh(){return{sev:{error:true,warning:true,info:true,fixed:true},rule:"",file:"",lang:"",only:false};}
var st=fresh();
function has(select,value){return [].some.call(select.options,function(o){return o.value===value;});}
function readHash(){
var h=location.hash.slice(1);st=fresh();if(h.indexOf("=")<0)return;
h.split("&").forEach(function(kv){var i=kv.indexOf("=");if(i<0)return;var k,v;
try{k=decodeURIComponent(kv.slice(0,i));v=decodeURIComponent(kv.slice(i+1));}catch(err){return;}
if(k==="sev"){CATS.forEach(function(c){st.sev[c]=false;});
v.split(",").forEach(function(c){if(CATS.indexOf(c)>=0)st.sev[c]=true;});}
else if(k in sel){if(has(sel[k],v))st[k]=v;}
else if(k==="only"){st.only=v==="1";}});}
function writeHash(){var p=[],on=CATS.filter(function(c){return st.sev[c];});
if(on.length<CATS.length)p.push("sev="+on.join(","));
["rule","file","lang"].forEach(function(k){if(st[k])p.push(k+"="+encodeURIComponent(st[k]));});
if(st.only)p.push("only=1");
var url=p.length?"#"+p.join("&"):location.pathname+location.search;
try{history.replaceState(null,"",url);}catch(err){}}
function apply(){
chips.forEach(function(b){b.setAttribute("aria-pressed",st.sev[b.dataset.cat]?"true":"false");});
Object.keys(sel).forEach(function(k){sel[k].value=st[k];});only.checked=st.only;
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
var v=on&&(hit||(!st.only&&!st.rule));cue.hidden=!v;if(v)visible++;});
total+=cues.length;shown+=visible;
if(on&&(st.only||st.rule)&&!visible&&!job.querySelector(".file-issues:not([hidden])")
&&!(job.classList.contains("failed")&&st.sev.error))job.hidden=true;
if(!job.hidden)anyJob=true;
var empty=job.querySelector(".empty");if(empty)empty.hidden=cues.length>0&&visible>0;});
rows.forEach(function(tr){tr.hidden=!((!st.file||tr.dataset.file===st.file)&&(!st.lang||tr.dataset.lang===st.lang));});
d.getElementById("empty-all").hidden=anyJob;
d.getElementById("f-reset").hidden=!st.only&&!st.rule&&!st.file&&!st.lang&&CATS.every(function(c){return st.sev[c];});
status.textContent=shown===total?total+" cues":"Showing "+shown+" of "+total+" cues";}
function update(){writeHash();apply();}
chips.forEach(function(b){b.addEventListener("click",function(){st.sev[b.dataset.cat]=!st.sev[b.dataset.cat];update();});});
Object.keys(sel).forEach(function(k){sel[k].addEventListener("change",function(){st[k]=sel[k].value;update();});});
only.addEventListener("change",function(){st.only=only.checked;update();});
d.getElementById("f-reset").addEventListener("click",function(){st=fresh();update();});
[].forEach.call(d.querySelectorAll(".fold"),function(b){b.addEventListener("click",function(){
var job=b.closest(".job"),c=job.classList.toggle("collapsed");b.setAttribute("aria-expanded",c?"false":"true");});});
function measure(){root.style.setProperty("--bar-h",bar.offsetHeight+"px");}
window.addEventListener("resize",measure);
window.addEventListener("hashchange",function(){if(location.hash.indexOf("=")>=0){readHash();apply();}});
measure();readHash();apply();})();
