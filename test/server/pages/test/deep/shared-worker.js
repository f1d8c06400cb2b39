/* global importScripts, deepStreamUrl */
// Shared worker: an EventSource, message events only; answers each port with what it heard.
importScripts('streams.js');
self.onconnect = function (connect) {
  var port = connect.ports[0];
  port.onmessage = function (event) {
    var heard = [];
    var source = new EventSource(deepStreamUrl('shared', event.data.run));
    source.onmessage = function (message) {
      heard.push(message.data);
      if (heard.length === 3) {
        source.close();
        port.postMessage(heard);
      }
    };
  };
};
