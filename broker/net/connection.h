#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace periscope::broker {

// One client connection. Requests are handled strictly one at a time, in order: while one
// waits (a long-poll Fetch, a JoinGroup) the following ones stay unread in m_in, which is
// what keeps responses in request order.
struct Connection
{
    int fd = -1;
    std::uint64_t id = 0;
    std::string peer;
    std::vector<std::uint8_t> in;
    std::size_t inStart = 0;
    // Responses waiting to be sent, each in its own buffer (no copying them together);
    // outSent counts the bytes of the front one already sent, outBytes all queued bytes.
    std::deque<std::vector<std::uint8_t>> out;
    std::size_t outSent = 0;
    std::size_t outBytes = 0;
    bool waiting = false;     // a request is being handled or deferred
    bool processing = false;  // inside processFrames (guards re-entry from respond())
    std::uint32_t events = 0; // the epoll interest set now registered
    bool wantWrite = false;   // EPOLLOUT is armed
    bool closeAfterWrite = false;
    std::int64_t lastActivityMs = 0; // monotonic

    std::size_t pendingOut() const { return outBytes - outSent; }
};

} // namespace periscope::broker
