-- The business metrics of the team's Locust suite, as lueng Rates the hotel
-- library records as it goes (hotel.slo.business() holds their SLOs):
--   booking_success        booking flows that ended with a stored pre-reservation,
--                          among those that found a free unit
--   locks_acquired         pre-reservations that got their unit (201), among attempts
--   webhooks_processed     WhatsApp and Mercado Pago webhooks accepted (200/201)
--   constraint_violations  pre-reservations refused for overlapping dates (409)
--   booking_no_availability  booking flows that found no free unit (a Counter: the
--                          flow says so instead of skipping silently)
--   booking_availability   booking flows that found a free unit, among all: lueng's
--                          own, so that a full calendar (bookings no longer tested)
--                          fails the run instead of passing on the few that booked
-- Required by the modules that record them, so the metrics exist from the init code.
local metrics = require "lueng.metrics"

return {
  booking_success = metrics.Rate("booking_success"),
  locks_acquired = metrics.Rate("locks_acquired"),
  webhooks_processed = metrics.Rate("webhooks_processed"),
  constraint_violations = metrics.Rate("constraint_violations"),
  booking_no_availability = metrics.Counter("booking_no_availability"),
  booking_availability = metrics.Rate("booking_availability"),
}
