"""The live runner (docs/live-runner.md): the Django side of a live stream's media loop.

config.py      typed settings (lease, watchdog, lookahead, RTMP limits), failing loudly
lease.py       the lease row: claim (one conditional UPDATE on the database clock), renew, release
playlist.py    the stream's playlist of approved script versions as blocks of lines (looping, optional shuffle)
publishing.py  segments and slates through render's publisher (consent gate, signing, ledger), outages ledgered
playlists.py   the live (sliding window) and archive (every segment: the recording) HLS playlists
loop.py        run_live_stream: the loop itself (lease, pacing, LiveControl, slates, RTMP output thread)
plan_blocks.py the lease's blocks: re-planning them, "at once" cut-ins, forgetting the spoken ones (24/7 memory)
watchdog.py    finds live streams whose lease lapsed (a dead worker) and queues their runner again

The media side that needs no Django (the RTMP pusher, the output thread) is streaming/live/.
"""
