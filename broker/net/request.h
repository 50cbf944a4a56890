#pragma once

#include "wire/wire.h"

#include <cstdint>
#include <optional>
#include <string>

namespace periscope::broker {

// Where a response goes: enough to build its header and find the connection later.
struct ResponseRoute
{
    std::uint64_t connectionId = 0;
    std::int32_t correlationId = 0;
    bool flexibleHeader = false; // response header v1 (tagged fields)
};

struct RequestHeader
{
    std::int16_t apiKey = 0;
    std::int16_t apiVersion = 0;
    std::int32_t correlationId = 0;
    std::optional<std::string> clientId;
};

// Starts a response frame: size placeholder, correlation id, header tags.
inline ByteWriter beginResponse(const ResponseRoute &route)
{
    ByteWriter w(route.flexibleHeader);
    w.buffer().reserve(256);
    w.placeholder32();
    w.i32(route.correlationId);
    w.tags();
    return w;
}

} // namespace periscope::broker
