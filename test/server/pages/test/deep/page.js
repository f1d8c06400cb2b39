// Starts the four streams; resolves with what each consumer heard (data of the events it got).
/* global deepStreamUrl */
function once(target, type) {
  return new Promise(function (resolve) {
    target.addEventListener(
      type,
      function (event) {
        resolve(event.data);
      },
      { once: true },
    );
  });
}

async function serviceWorkerStream(run) {
  var registration = await navigator.serviceWorker.register('sw.js');
  var worker = registration.active || registration.waiting || registration.installing;
  if (worker.state !== 'activated') {
    await new Promise(function (resolve) {
      worker.addEventListener('statechange', function () {
        if (worker.state === 'activated') resolve();
      });
    });
  }
  var answer = once(navigator.serviceWorker, 'message');
  worker.postMessage({ run: run });
  return answer;
}

function dedicatedWorkerStream(run) {
  var worker = new Worker('worker.js');
  var answer = once(worker, 'message');
  worker.postMessage({ run: run });
  return answer;
}

function sharedWorkerStream(run) {
  var worker = new SharedWorker('shared-worker.js');
  var answer = once(worker.port, 'message');
  worker.port.start();
  worker.port.postMessage({ run: run });
  return answer;
}

function unlistenedEventStream(run) {
  return new Promise(function (resolve) {
    var heard = [];
    var source = new EventSource(deepStreamUrl('unlistened', run));
    source.addEventListener('message', function (event) {
      heard.push(event.data);
      if (event.data === 'page-3') {
        source.close();
        resolve(heard);
      }
    });
  });
}

window.runDeepStreams = async function (run) {
  var names = ['worker', 'shared', 'serviceWorker', 'unlistened'];
  var heard = await Promise.all([
    dedicatedWorkerStream(run),
    sharedWorkerStream(run),
    serviceWorkerStream(run),
    unlistenedEventStream(run),
  ]);
  var result = {};
  names.forEach(function (name, i) {
    result[name] = heard[i];
  });
  document.getElementById('out').textContent = JSON.stringify(result, null, 2);
  return result;
};
