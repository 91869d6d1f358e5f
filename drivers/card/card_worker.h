// CardWorker: runs one CardReader on its own thread (an mck::Worker), so the UI never blocks on a
// card. It watches readers and cards (WaitForChange) and performs a read when asked; everything
// it learns goes to one sink callback. This is the "one thread per blocking device" of the
// project's threading rule: the UI thread calls RequestRead / CancelRead (cheap, never blocking)
// and receives events.
//
// On the worker, a watch job waits up to 250 ms for a change and posts its successor; a read
// job posted by RequestRead runs between two watches. After a watch failure (pcscd down, ...)
// the next watch comes a second later, or at once when a read is requested.
//
// Threading: the sink is called on the worker thread, one event at a time (except the kCancelled
// kReadFinished of a read not yet started, which CancelRead posts on the caller's thread); it must
// not block long (push into the UI's event queue and wake the UI). Every public method may be
// called from any thread. The destructor cancels whatever runs and joins the thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include "drivers/card/card_reader.h"
#include "offline/domain/worker.h"

namespace mck::card {

struct CardWorkerEvent {
  enum class Kind {
    kDevice,        // `device`: a reader or card came or went
    kDeviceError,   // `error`: watching failed (pcscd down, ...); retried every second
    kProgress,      // `done`/`total` of read `request`
    kReadFinished,  // read `request` ended: `identity`, or `error` (its kind says why)
  };
  Kind kind = Kind::kDevice;
  uint64_t request = 0;
  CardEvent device{};
  size_t done = 0, total = 0;
  std::optional<Identity> identity;
  std::optional<CardError> error;
};

class CardWorker {
 public:
  using Sink = std::function<void(CardWorkerEvent)>;
  CardWorker(std::unique_ptr<CardReader> reader, Sink sink);
  ~CardWorker();
  CardWorker(const CardWorker&) = delete;
  CardWorker& operator=(const CardWorker&) = delete;

  // Queues a read (replacing one not yet started) and returns its request number, echoed in the
  // kProgress / kReadFinished events. `reader` empty: the first reader with a card.
  uint64_t RequestRead(AccessKey key, std::string reader = {});
  // Cancels the queued or running read: it finishes with CardFailure::kCancelled. A read already
  // at its last step may still finish with its result: ignore results of cancelled requests.
  void CancelRead();

 private:
  struct Pending {
    uint64_t id;
    AccessKey key;
    std::string reader;
  };
  void Watch();     // a job: one WaitForChange, then the next watch
  void ReadNext();  // a job: the pending read, if it is still there

  std::unique_ptr<CardReader> reader_;
  Sink sink_;
  std::atomic<bool> closing_{false};
  std::mutex mu_;
  bool reading_ = false;
  uint64_t next_request_ = 1;
  std::optional<Pending> pending_;
  Worker worker_{"card"};  // last: its jobs use the members above; stopped first
};

}  // namespace mck::card
