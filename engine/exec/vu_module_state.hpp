#pragma once

#include <cstddef>

namespace lueng::exec {

// What a script module keeps per VU (lueng.http: the VU's connections, cookie
// jar and requests; lueng's sleep: the VU's timer): made on the module's first
// use by a VU (Vu::module_state), destroyed with the VU, so modules need no
// field of Vu and adding one touches no file of exec. Loop thread only.
class VuModuleState {
 public:
  virtual ~VuModuleState() = default;
  // An iteration of the VU begins (state kept per iteration is reset here).
  virtual void on_iteration_start() {}
  // The VU is about to go: stop everything and release libuv handles (the loop
  // runs once more before the state is destroyed).
  virtual void close() {}
};

// A slot number for one module's per-VU state, a new one per call: a module takes
// one once, e.g. `static const size_t slot = new_vu_slot();`. Any thread.
size_t new_vu_slot();

}  // namespace lueng::exec
