[10][35]The harbour lights|are on again.
[40][62]/Somewhere a bell rings.|And stops.
[62][80]/A whole cue|/in italics.

[95][]No end time.
[120][150]Last one.
