// The stream page's player: the live playlist (sliding window) while the stream runs, the archive playlist (the
// recording) afterwards; hls.js where Media Source Extensions exist, native HLS otherwise. A file: the CSP forbids
// inline scripts.
"use strict";
(function () {
  const video = document.getElementById("stream-player");
  if (!video) return;
  const src = video.dataset.src;
  if (window.Hls && window.Hls.isSupported()) {
    const hls = new window.Hls({ xhrSetup: (xhr) => { xhr.withCredentials = true; } });
    hls.loadSource(src);
    hls.attachMedia(video);
    window.veracastStreamPlayer = hls;
  } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = src;
  }
})();
