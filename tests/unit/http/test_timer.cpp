#include <catch2/catch.hpp>

#include <uv.h>

#include "engine/http/timer.hpp"

using lueng::http::Timer;

namespace {

struct Fired {
  int count = 0;
  uint64_t at_ns = 0;
};

void on_fired(void* context) {
  auto* fired = static_cast<Fired*>(context);
  ++fired->count;
  fired->at_ns = uv_hrtime();
}

// Runs the loop until `fired` changes or 2 s pass; the deadline alone keeps no
// loop alive, so a guard timer does.
void run_until_fired(uv_loop_t* loop, const Fired& fired, uint64_t limit_ms = 2000) {
  uv_timer_t guard;
  uv_timer_init(loop, &guard);
  uv_timer_start(&guard, [](uv_timer_t* t) { uv_stop(t->loop); }, limit_ms, 0);
  int before = fired.count;
  while (fired.count == before && uv_timer_get_due_in(&guard) > 0) uv_run(loop, UV_RUN_ONCE);
  uv_close(reinterpret_cast<uv_handle_t*>(&guard), nullptr);
  uv_run(loop, UV_RUN_NOWAIT);
}

}  // namespace

TEST_CASE("a later deadline set while the timer runs for an earlier one fires at its own time") {
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    Fired fired;
    Timer timer(&loop, on_fired, &fired);
    uint64_t start = uv_hrtime();
    timer.set_deadline(start + 30'000'000, start);  // a request with a 30 ms timeout ...
    timer.clear();                                   // ... answered at once
    uint64_t second = uv_hrtime();
    timer.set_deadline(second + 120'000'000, second);  // the next one never is
    run_until_fired(&loop, fired);
    REQUIRE(fired.count == 1);
    CHECK(fired.at_ns >= second + 120'000'000);
    CHECK(fired.at_ns < second + 1'000'000'000);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK(uv_loop_close(&loop) == 0);
}

TEST_CASE("a cleared deadline never fires, and alone it keeps no loop running") {
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    Fired fired;
    Timer timer(&loop, on_fired, &fired);
    uint64_t now = uv_hrtime();
    timer.set_deadline(now + 20'000'000, now);
    timer.clear();
    run_until_fired(&loop, fired, 100);
    CHECK(fired.count == 0);
    now = uv_hrtime();
    timer.set_deadline(now + 60'000'000'000, now);  // a minute away
    uint64_t before = uv_hrtime();
    uv_run(&loop, UV_RUN_DEFAULT);  // returns: nothing else is active
    CHECK(uv_hrtime() - before < 1'000'000'000);
    CHECK(fired.count == 0);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK(uv_loop_close(&loop) == 0);
}

TEST_CASE("fire_soon runs the callback on the next loop turn and keeps the loop alive for it") {
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    Fired fired;
    Timer timer(&loop, on_fired, &fired);
    uint64_t now = uv_hrtime();
    timer.set_deadline(now + 60'000'000'000, now);
    timer.clear();
    timer.fire_soon();
    CHECK(fired.count == 0);  // never from inside the call
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK(fired.count == 1);
    // A deadline set before fire_soon still fires at its time afterwards.
    now = uv_hrtime();
    timer.set_deadline(now + 40'000'000, now);
    timer.fire_soon();
    uv_run(&loop, UV_RUN_NOWAIT);
    CHECK(fired.count == 2);
    run_until_fired(&loop, fired);
    CHECK(fired.count == 3);
    CHECK(fired.at_ns >= now + 40'000'000);
    timer.set_deadline(uv_hrtime() + 10'000'000, uv_hrtime());
    timer.stop();
    run_until_fired(&loop, fired, 100);
    CHECK(fired.count == 3);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK(uv_loop_close(&loop) == 0);
}
