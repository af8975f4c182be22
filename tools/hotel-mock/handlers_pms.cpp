#include <charconv>
#include <optional>

#include "tools/hotel-mock/catalogue.hpp"
#include "tools/hotel-mock/handlers.hpp"
#include "tools/hotel-mock/json.hpp"
#include "tools/hotel-mock/stay.hpp"

namespace lueng::hotel_mock {

namespace {

std::optional<long long> parse_integer(std::string_view text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A stay from the query string; `guests` defaults to 1 when not required.
std::variant<Stay, std::string> stay_from_query(const Request& request, bool guests_required) {
  const std::string* in = request.param("check_in");
  const std::string* out = request.param("check_out");
  const std::string* guests_text = request.param("guests");
  if (!in) return std::string("missing query parameter: check_in");
  if (!out) return std::string("missing query parameter: check_out");
  if (!guests_text && guests_required) return std::string("missing query parameter: guests");
  long long guests = 1;
  if (guests_text) {
    auto parsed = parse_integer(*guests_text);
    if (!parsed) return std::string("guests must be an integer");
    guests = *parsed;
  }
  return make_stay(*in, *out, guests);
}

void write_accommodation(JsonWriter& w, const Accommodation& a) {
  w.StartObject();
  write_key(w, "id");
  w.Int(a.id);
  write_key(w, "name");
  write_string(w, a.name);
  write_key(w, "room_type");
  write_string(w, a.room_type);
  write_key(w, "capacity");
  w.Int(a.capacity);
  write_key(w, "nightly_rate");
  w.Int(a.nightly_rate);
  write_key(w, "currency");
  write_string(w, kCurrency);
  w.EndObject();
}

void write_stay(JsonWriter& w, const Stay& stay) {
  write_key(w, "check_in");
  write_string(w, format_date(stay.check_in));
  write_key(w, "check_out");
  write_string(w, format_date(stay.check_out));
  write_key(w, "nights");
  w.Int(stay.nights());
  write_key(w, "guests");
  w.Int(stay.guests);
}

const Accommodation* accommodation_by_param(std::string_view id) {
  auto parsed = parse_integer(id);
  if (!parsed || *parsed < 0 || *parsed > 1'000'000) return nullptr;
  return find_accommodation(static_cast<int>(*parsed));
}

}  // namespace

Response room_types_list(const Request&, Context&, std::string_view) {
  return json_response(200, [](JsonWriter& w) {
    w.StartObject();
    write_key(w, "room_types");
    w.StartArray();
    for (const auto& type : room_types()) {
      w.StartObject();
      write_key(w, "id");
      write_string(w, type.id);
      write_key(w, "name");
      write_string(w, type.name);
      write_key(w, "max_guests");
      w.Int(type.max_guests);
      write_key(w, "nightly_rate");
      w.Int(type.nightly_rate);
      write_key(w, "currency");
      write_string(w, kCurrency);
      write_key(w, "accommodation_ids");
      w.StartArray();
      for (const auto& a : accommodations()) {
        if (a.room_type == type.id) w.Int(a.id);
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

// Room types that fit the party, each with the units free for every night of the
// stay; types with no free unit are listed too (available_units 0), as PMSs do.
Response pms_availability(const Request& request, Context& context, std::string_view) {
  auto parsed = stay_from_query(request, true);
  if (auto* error = std::get_if<std::string>(&parsed)) return error_response(400, *error);
  const Stay& stay = std::get<Stay>(parsed);
  const RoomType* only = nullptr;
  if (const std::string* wanted = request.param("room_type")) {
    only = find_room_type(*wanted);
    if (!only) return error_response(400, "unknown room_type '" + *wanted + "'");
  }
  int64_t now = now_ms();
  return json_response(200, [&](JsonWriter& w) {
    w.StartObject();
    write_stay(w, stay);
    write_key(w, "room_types");
    w.StartArray();
    for (const auto& type : room_types()) {
      if (only && only != &type) continue;
      if (type.max_guests < stay.guests) continue;
      int total = 0;
      std::vector<int> free;
      for (const auto& a : accommodations()) {
        if (a.room_type != type.id) continue;
        ++total;
        if (a.capacity >= stay.guests &&
            context.store.is_free(a.id, stay.check_in, stay.check_out, now))
          free.push_back(a.id);
      }
      w.StartObject();
      write_key(w, "id");
      write_string(w, type.id);
      write_key(w, "name");
      write_string(w, type.name);
      write_key(w, "max_guests");
      w.Int(type.max_guests);
      write_key(w, "total_units");
      w.Int(total);
      write_key(w, "available_units");
      w.Int(static_cast<int>(free.size()));
      write_key(w, "accommodation_ids");
      w.StartArray();
      for (int id : free) w.Int(id);
      w.EndArray();
      write_key(w, "nightly_rate");
      w.Int(type.nightly_rate);
      write_key(w, "total_price");
      w.Int64(static_cast<int64_t>(type.nightly_rate) * stay.nights());
      write_key(w, "currency");
      write_string(w, kCurrency);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

Response accommodations_list(const Request&, Context&, std::string_view) {
  return json_response(200, [](JsonWriter& w) {
    w.StartObject();
    write_key(w, "accommodations");
    w.StartArray();
    for (const auto& a : accommodations()) write_accommodation(w, a);
    w.EndArray();
    write_key(w, "count");
    w.Int(static_cast<int>(accommodations().size()));
    w.EndObject();
  });
}

Response accommodation_get(const Request&, Context&, std::string_view id) {
  const Accommodation* a = accommodation_by_param(id);
  if (!a) return error_response(404, "unknown accommodation");
  return json_response(200, [&](JsonWriter& w) { write_accommodation(w, *a); });
}

Response accommodation_availability(const Request& request, Context& context, std::string_view id) {
  const Accommodation* a = accommodation_by_param(id);
  if (!a) return error_response(404, "unknown accommodation");
  auto parsed = stay_from_query(request, false);
  if (auto* error = std::get_if<std::string>(&parsed)) return error_response(400, *error);
  const Stay& stay = std::get<Stay>(parsed);
  bool fits = a->capacity >= stay.guests;
  bool free = context.store.is_free(a->id, stay.check_in, stay.check_out, now_ms());
  return json_response(200, [&](JsonWriter& w) {
    w.StartObject();
    write_key(w, "accommodation_id");
    w.Int(a->id);
    write_stay(w, stay);
    write_key(w, "available");
    w.Bool(fits && free);
    if (!fits || !free) {
      write_key(w, "reason");
      write_string(w, !fits ? "capacity" : "booked");
    }
    write_key(w, "capacity");
    w.Int(a->capacity);
    write_key(w, "nightly_rate");
    w.Int(a->nightly_rate);
    write_key(w, "total_price");
    w.Int64(static_cast<int64_t>(a->nightly_rate) * stay.nights());
    write_key(w, "currency");
    write_string(w, kCurrency);
    w.EndObject();
  });
}

}  // namespace lueng::hotel_mock
