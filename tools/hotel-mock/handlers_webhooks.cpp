#include "tools/hotel-mock/handlers.hpp"
#include "tools/hotel-mock/json.hpp"
#include "tools/hotel-mock/signatures.hpp"

namespace lueng::hotel_mock {

namespace {

Response received() {
  return json_response(200, [](JsonWriter& w) {
    w.StartObject();
    write_key(w, "status");
    write_string(w, "received");
    w.EndObject();
  });
}

bool has_audio_message(const rapidjson::Value& body) {
  for (const auto& entry : body["entry"].GetArray()) {
    if (!entry.IsObject() || !entry.HasMember("changes") || !entry["changes"].IsArray()) continue;
    for (const auto& change : entry["changes"].GetArray()) {
      if (!change.IsObject() || !change.HasMember("value") || !change["value"].IsObject()) continue;
      const auto& value = change["value"];
      if (!value.HasMember("messages") || !value["messages"].IsArray()) continue;
      for (const auto& message : value["messages"].GetArray()) {
        if (message.IsObject() && message.HasMember("type") && message["type"].IsString() &&
            std::string_view(message["type"].GetString()) == "audio")
          return true;
      }
    }
  }
  return false;
}

}  // namespace

// Meta's subscription handshake: echo hub.challenge as plain text when the token
// is ours, so the app dashboard accepts the callback URL.
Response whatsapp_verify(const Request& request, Context& context, std::string_view) {
  const std::string* mode = request.param("hub.mode");
  const std::string* token = request.param("hub.verify_token");
  const std::string* challenge = request.param("hub.challenge");
  if (!mode || *mode != "subscribe" || !token ||
      !constant_time_equals(*token, context.options.verify_token))
    return error_response(403, "verification failed");
  if (!challenge) return error_response(400, "missing query parameter: hub.challenge");
  Response response;
  response.content_type = "text/plain; charset=utf-8";
  response.body = *challenge;
  return response;
}

Response whatsapp_webhook(const Request& request, Context& context, std::string_view) {
  if (!context.options.whatsapp_secret.empty() &&
      !whatsapp_signature_valid(context.options.whatsapp_secret,
                                request.header("x-hub-signature-256"), request.body))
    return error_response(401, "invalid X-Hub-Signature-256");
  rapidjson::Document body;
  std::string error;
  if (!parse_json(request.body, body, error)) return error_response(400, error);
  if (!body.IsObject() || !body.HasMember("object") || !body["object"].IsString() ||
      std::string_view(body["object"].GetString()) != "whatsapp_business_account")
    return error_response(400, "object must be \"whatsapp_business_account\"");
  if (!body.HasMember("entry") || !body["entry"].IsArray())
    return error_response(400, "entry must be an array");
  Response response = received();
  if (has_audio_message(body)) response.endpoint = Endpoint::kWhatsappAudio;
  return response;
}

Response mercadopago_webhook(const Request& request, Context& context, std::string_view) {
  if (!context.options.mp_secret.empty() &&
      !mercadopago_signature_valid(context.options.mp_secret, request.header("x-signature"),
                                   request.param("data.id"), request.header("x-request-id")))
    return error_response(401, "invalid x-signature");
  rapidjson::Document body;
  std::string error;
  if (!parse_json(request.body, body, error)) return error_response(400, error);
  if (!body.IsObject()) return error_response(400, "the body must be a JSON object");
  return received();
}

}  // namespace lueng::hotel_mock
