#pragma once

#include <string_view>

namespace lueng::http {

// The standard reason phrase of a status code, as Go's http.StatusText gives it
// ("Not Found" for 404), or "" for a code it does not know. lueng does not keep
// the reason phrase a server sent; k6's res.status_text ("404 Not Found") is the
// code and this phrase, which is what Go's (and most) servers send.
std::string_view reason_phrase(int status);

}  // namespace lueng::http
