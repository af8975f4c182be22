#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "tools/hotel-mock/catalogue.hpp"
#include "tools/hotel-mock/handlers.hpp"
#include "tools/hotel-mock/json.hpp"
#include "tools/hotel-mock/stay.hpp"

namespace lueng::hotel_mock {

namespace {

// The first problem found in a prereserve body, as a 400 message.
struct Invalid {
  std::string message;
};

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it == object.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

std::variant<std::string, Invalid> required_string(const rapidjson::Value& object, const char* name,
                                                   std::string_view path) {
  const rapidjson::Value* value = member(object, name);
  if (!value) return Invalid{fmt::format("missing field: {}", path)};
  if (!value->IsString() || value->GetStringLength() == 0)
    return Invalid{fmt::format("invalid field: {} must be a non-empty string", path)};
  return std::string(value->GetString(), value->GetStringLength());
}

// Ids arrive as numbers from most clients and as strings from some; both are fine.
std::optional<long long> integer_field(const rapidjson::Value& value) {
  if (value.IsInt64()) return value.GetInt64();
  if (value.IsString()) {
    long long parsed = 0;
    const char* begin = value.GetString();
    const char* end = begin + value.GetStringLength();
    auto [stop, ec] = std::from_chars(begin, end, parsed);
    if (ec == std::errc() && stop == end && begin != end) return parsed;
  }
  return std::nullopt;
}

std::variant<Reservation, Invalid> reservation_from(const rapidjson::Document& body) {
  if (!body.IsObject()) return Invalid{"the body must be a JSON object"};
  Reservation r;
  const rapidjson::Value* accommodation = member(body, "accommodation_id");
  if (!accommodation) return Invalid{"missing field: accommodation_id"};
  auto id = integer_field(*accommodation);
  if (!id || *id < 0 || *id > 1'000'000) return Invalid{"invalid field: accommodation_id"};
  r.accommodation_id = static_cast<int>(*id);

  auto in = required_string(body, "check_in", "check_in");
  if (auto* bad = std::get_if<Invalid>(&in)) return *bad;
  auto out = required_string(body, "check_out", "check_out");
  if (auto* bad = std::get_if<Invalid>(&out)) return *bad;
  const rapidjson::Value* guests = member(body, "guests");
  if (!guests) return Invalid{"missing field: guests"};
  if (!guests->IsInt64()) return Invalid{"invalid field: guests must be an integer"};

  const rapidjson::Value* guest = member(body, "guest");
  if (!guest) return Invalid{"missing field: guest"};
  if (!guest->IsObject()) return Invalid{"invalid field: guest must be an object"};
  std::string* targets[] = {&r.guest.name, &r.guest.phone, &r.guest.email};
  const char* names[] = {"name", "phone", "email"};
  for (size_t i = 0; i < 3; ++i) {
    auto value = required_string(*guest, names[i], fmt::format("guest.{}", names[i]));
    if (auto* bad = std::get_if<Invalid>(&value)) return *bad;
    *targets[i] = std::move(std::get<std::string>(value));
  }

  auto stay = make_stay(std::get<std::string>(in), std::get<std::string>(out), guests->GetInt64());
  if (auto* error = std::get_if<std::string>(&stay)) return Invalid{*error};
  r.check_in = std::get<Stay>(stay).check_in;
  r.check_out = std::get<Stay>(stay).check_out;
  r.guests = std::get<Stay>(stay).guests;
  return r;
}

Response reservation_response(int status, const Reservation& r, int64_t now) {
  return json_response(status, [&](JsonWriter& w) {
    w.StartObject();
    write_key(w, "id");
    write_string(w, r.id);
    write_key(w, "status");
    write_string(w, r.expired(now) ? "expired" : "pre_reserved");
    write_key(w, "expires_at");
    write_string(w, format_timestamp(r.expires_ms / 1000));
    write_key(w, "created_at");
    write_string(w, format_timestamp(r.created_ms / 1000));
    write_key(w, "accommodation_id");
    w.Int(r.accommodation_id);
    write_key(w, "check_in");
    write_string(w, format_date(r.check_in));
    write_key(w, "check_out");
    write_string(w, format_date(r.check_out));
    write_key(w, "nights");
    w.Int64(r.check_out - r.check_in);
    write_key(w, "guests");
    w.Int(r.guests);
    write_key(w, "guest");
    w.StartObject();
    write_key(w, "name");
    write_string(w, r.guest.name);
    write_key(w, "phone");
    write_string(w, r.guest.phone);
    write_key(w, "email");
    write_string(w, r.guest.email);
    w.EndObject();
    write_key(w, "total_price");
    w.Int64(r.total_price);
    write_key(w, "currency");
    write_string(w, kCurrency);
    w.EndObject();
  });
}

}  // namespace

Response prereserve(const Request& request, Context& context, std::string_view) {
  rapidjson::Document body;
  std::string error;
  if (!parse_json(request.body, body, error)) return error_response(400, error);
  auto parsed = reservation_from(body);
  if (auto* bad = std::get_if<Invalid>(&parsed)) return error_response(400, bad->message);
  Reservation& r = std::get<Reservation>(parsed);

  const Accommodation* a = find_accommodation(r.accommodation_id);
  if (!a) return error_response(404, fmt::format("unknown accommodation {}", r.accommodation_id));
  if (r.guests > a->capacity)
    return error_response(400, fmt::format("guests exceed the capacity of accommodation {} ({})",
                                           a->id, a->capacity));
  r.total_price = static_cast<int64_t>(a->nightly_rate) * (r.check_out - r.check_in);

  int64_t now = now_ms();
  auto outcome = context.store.prereserve(std::move(r), now);
  if (std::holds_alternative<Conflict>(outcome))
    return error_response(409, "the dates overlap an existing reservation");
  const Reservation& created = std::get<Reservation>(outcome);
  Response response = reservation_response(201, created, now);
  response.headers.emplace_back("Location", "/api/v1/reservations/" + created.id);
  return response;
}

Response reservation_get(const Request&, Context& context, std::string_view id) {
  auto found = context.store.find(std::string(id));
  if (!found) return error_response(404, "unknown reservation");
  return reservation_response(200, *found, now_ms());
}

}  // namespace lueng::hotel_mock
