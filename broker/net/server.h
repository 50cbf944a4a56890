#pragma once

#include "connection.h"
#include "request.h"

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
    // Called often (every ~10 ms while anything waits): time-outs, retention, sessions.
    virtual void tick(std::int64_t nowMs) = 0;
    // Stopping: answer every deferred request now.
    virtual void drain() = 0;
};

struct ServerOptions
{
    std::string host = "127.0.0.1";
    int port = 9092;
    std::size_t maxFrameBytes = 100 * 1024 * 1024; // socket.request.max.bytes
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
    // Makes SIGINT/SIGTERM end run() (they are blocked and read through a signalfd).
    void catchSignals();
    // Runs until a caught signal or stop(); then drains and returns.
    void run();
    void stop();
    // Sends a deferred response; dropped when its connection has gone.
    void respond(const ResponseRoute &route, ByteWriter &&response);
    std::size_t connectionCount() const { return m_connections.size(); }
    static std::int64_t nowMs();

private:
    void acceptAll();
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
    void close(Connection &c, const std::string &why);
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
    // True while the sink runs (a handler, tick, drain). A response it sends may free its
    // connection's next pipelined request; that request waits in m_resume until the sink
    // has returned, so the broker is never re-entered from inside its own loops.
    bool m_dispatching = false;
    std::vector<std::uint64_t> m_resume;
};

} // namespace periscope::broker
