#pragma once

#include "base/ratelimitedlog.h"
#include "connection.h"
#include "request.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace periscope::broker {

// What the server hands requests to (the broker).
class RequestSink
{
public:
    // RespondAndClose: send the response, then close (a failed SASL authentication).
    enum class Outcome { Respond, Defer, NoResponse, Close, RespondAndClose };
    struct HeaderShape
    {
        bool known = false; // the API key exists here
        bool flexibleRequest = false;
        bool flexibleResponse = false;
    };

    virtual ~RequestSink() = default;
    virtual HeaderShape headerShape(std::int16_t apiKey, std::int16_t apiVersion) const = 0;
    // out already holds the response header; the body goes after it.
    virtual Outcome handle(const RequestHeader &header, ByteReader &body,
                           const ResponseRoute &route, ByteWriter &out, const Connection &conn) = 0;
    // After a SaslHandshake v0 the client's next frame is a bare SASL token, not a request;
    // out then holds only the size placeholder.
    virtual bool expectsRawToken(std::uint64_t /*connectionId*/) const { return false; }
    virtual Outcome handleRawToken(std::string_view /*token*/, ByteWriter & /*out*/,
                                   const Connection & /*conn*/)
    {
        return Outcome::Close;
    }
    virtual void connectionClosed(std::uint64_t connectionId) = 0;
    // Called often (every ~10 ms): time-outs, retention, sessions, timed syncs. The time is
    // monotonic.
    virtual void tick(std::int64_t monotonicMs) = 0;
    // Stopping: answer every deferred request now.
    virtual void drain() = 0;
    // " key=value" pairs for the stats line.
    virtual std::string stats() const { return {}; }
};

struct ServerOptions
{
    std::string host = "127.0.0.1";
    int port = 9092;
    std::size_t maxFrameBytes = 100 * 1024 * 1024; // socket.request.max.bytes
    std::size_t maxConnections = SIZE_MAX;         // max.connections
    std::int64_t connectionsMaxIdleMs = 600000;    // connections.max.idle.ms
};

// A single-threaded epoll server speaking Kafka's size-prefixed framing.
class Server final
{
public:
    Server(RequestSink &sink, ServerOptions options);
    ~Server();
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    bool listen(std::string &error);
    int port() const { return m_port; }
    // Makes SIGINT/SIGTERM end run() and SIGUSR1 log a stats line (they are blocked and
    // read through a signalfd).
    void catchSignals();
    // Runs until a caught signal or stop(); then drains and returns.
    void run();
    void stop();
    // Sends a deferred response; dropped when its connection has gone.
    void respond(const ResponseRoute &route, ByteWriter &&response);
    std::size_t connectionCount() const { return m_connections.size(); }
    // Bytes held by connection buffers (their capacity), in and out.
    std::size_t bufferedBytes() const;
    // One line of counters, also logged on SIGUSR1 (what tests and operators look at).
    std::string stats() const;

private:
    void acceptAll();
    void pauseAccepting(const char *why);
    void resumeAccepting();
    void refuse(int fd);
    void closeIdle(std::int64_t nowMs);
    void onSignal();
    void onReadable(Connection &c);
    void processFrames(Connection &c);
    void resumeDeferred();
    bool handleFrame(Connection &c, const std::uint8_t *frame, std::size_t size);
    bool handleRawToken(Connection &c, const std::uint8_t *frame, std::size_t size);
    bool finish(Connection &c, RequestSink::Outcome outcome, ByteWriter &&out,
                const std::string &what);
    void queue(Connection &c, ByteWriter &&response);
    void flushOut(Connection &c);
    void updateInterest(Connection &c);
    // expected: an ordinary end (the client closed, idle time-out), logged at debug level.
    void close(Connection &c, const std::string &why, bool expected = false);
    void closeMarked();

    RequestSink &m_sink;
    ServerOptions m_options;
    int m_listenFd = -1;
    int m_epollFd = -1;
    int m_wakeFd = -1;
    int m_signalFd = -1;
    int m_port = 0;
    bool m_stopping = false;
    std::uint64_t m_nextId = 1;
    std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> m_connections;
    std::vector<std::uint64_t> m_toClose;
    // Where reads land before their bytes go to a connection's buffer: connections hold
    // only what they have not yet handled, and nothing is zero-filled per read.
    std::unique_ptr<std::uint8_t[]> m_scratch;
    std::uint64_t m_receivedBytes = 0;
    std::uint64_t m_refused = 0;        // over --max-connections
    std::uint64_t m_refusedInBurst = 0; // since the last "refusing" line
    std::uint64_t m_idleClosed = 0;
    mutable std::uint64_t m_statsSeq = 0;
    // Out of descriptors: the listening socket is left alone until one is freed.
    bool m_acceptPaused = false;
    std::int64_t m_acceptRetryMs = 0;
    std::int64_t m_lastIdleCheckMs = 0;
    RateLimitedLog m_rateLimited;
    // True while the sink runs (a handler, tick, drain). A response it sends may free its
    // connection's next pipelined request; that request waits in m_resume until the sink
    // has returned, so the broker is never re-entered from inside its own loops.
    bool m_dispatching = false;
    std::vector<std::uint64_t> m_resume;
};

} // namespace periscope::broker
