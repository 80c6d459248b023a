-- wrk script: each connection waits 10 ms after every response before its next request, so four connections ask for
-- about 300 pages a second (a quarter of what the history page can serve on two cores) instead of as many as the
-- server can take. Latency at that steady load, below saturation, is the page's own; unpaced runs measure queueing.
function delay()
    return 10
end
