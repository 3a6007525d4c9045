module poolscope/bench/peers/go

go 1.19
