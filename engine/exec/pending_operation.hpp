#pragma once

namespace lueng::exec {

// Something a VU waits for, started by a script module (an HTTP request, a
// batch of them, a sleep): the module's side of k6's RegisterCallback. The seam:
//
//  1. Start: a module function, called by the running VU's code, starts the
//     operation (a socket write, a timer) and calls Vu::wait_for(op); its code
//     then yields, and the VU waits.
//  2. Complete: when the operation is done, a loop callback calls
//     Vu::complete(op), as its last statement: the VU's code runs again before
//     it returns, and may start the next operation on the same object. The
//     operation hands its results to the script itself, through the script
//     layer (ScriptVu::resume): exec never sees them.
//  3. Abandon: when the VU stops waiting first (a hard stop, the end of
//     gracefulStop), the VU calls abandon() instead and no completion follows.
//
// An operation is owned by the module's per-VU state (VuModuleState), reused
// from one wait to the next, never made per request: the hot path allocates
// nothing. A VU waits for one operation at a time.
class PendingOperation {
 public:
  // Stops the operation and releases what it holds for the script (its request,
  // its timer, its references); no Vu::complete() follows. Called only while the
  // VU waits for it.
  virtual void abandon() = 0;

 protected:
  ~PendingOperation() = default;
};

}  // namespace lueng::exec
