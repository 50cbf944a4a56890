#include "server.h"

#include "base/clock.h"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <utility>

namespace periscope::broker {

namespace {
constexpr std::uint64_t kListenTag = 0;
constexpr std::uint64_t kWakeTag = UINT64_MAX;
constexpr std::uint64_t kSignalTag = UINT64_MAX - 1;
constexpr std::size_t kReadChunk = 256 * 1024;
// Stop reading from a client whose responses pile up unread: it holds at most this much
// plus one response (which Fetch caps at fetch.max.bytes).
constexpr std::size_t kMaxPendingOut = 8 * 1024 * 1024;
// A connection keeps no more than this between requests; larger buffers are given back.
constexpr std::size_t kKeepBytes = 64 * 1024;
constexpr int kTickMs = 10;
// Out of descriptors: try accepting again after this, or as soon as a connection closes.
constexpr std::int64_t kAcceptRetryMs = 100;
constexpr std::int64_t kIdleCheckMs = 1000;

// Marks a call into the sink for its duration (exceptions included).
class Dispatching final
{
public:
    explicit Dispatching(bool &flag)
        : m_flag(flag)
        , m_was(std::exchange(flag, true))
    {}
    ~Dispatching() { m_flag = m_was; }
    Dispatching(const Dispatching &) = delete;
    Dispatching &operator=(const Dispatching &) = delete;

private:
    bool &m_flag;
    bool m_was;
};

void addFd(int epollFd, int fd, std::uint32_t events, std::uint64_t tag)
{
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = tag;
    ::epoll_ctl(epollFd, EPOLL_CTL_ADD, fd, &ev);
}

void release(std::vector<std::uint8_t> &buffer)
{
    std::vector<std::uint8_t>().swap(buffer);
}

std::size_t outCapacity(const Connection &c)
{
    std::size_t total = 0;
    for (const auto &b : c.out)
        total += b.capacity();
    return total;
}

// Whether the buffered bytes still lack a whole frame (or its size). A size out of range
// needs nothing more: the frame is refused as soon as it is looked at.
bool needsMore(const Connection &c, std::size_t maxFrameBytes)
{
    const std::size_t avail = c.in.size() - c.inStart;
    if (avail < 4)
        return true;
    const std::int32_t size = loadI32(c.in.data() + c.inStart);
    return size > 0 && static_cast<std::size_t>(size) <= maxFrameBytes &&
           avail - 4 < static_cast<std::size_t>(size);
}
} // namespace

Server::Server(RequestSink &sink, ServerOptions options)
    : m_sink(sink)
    , m_options(std::move(options))
    , m_scratch(new std::uint8_t[kReadChunk])
{}

Server::~Server()
{
    for (auto &[id, c] : m_connections)
        ::close(c->fd);
    for (int fd : {m_listenFd, m_epollFd, m_wakeFd, m_signalFd})
        if (fd >= 0)
            ::close(fd);
}

bool Server::listen(std::string &error)
{
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(m_options.port));
    if (::inet_pton(AF_INET, m_options.host.c_str(), &addr.sin_addr) != 1) {
        error = "not an IPv4 address: " + m_options.host;
        return false;
    }
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(m_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(m_listenFd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
        ::listen(m_listenFd, 1024) != 0) {
        error = "cannot listen on " + m_options.host + ":" + std::to_string(m_options.port) + ": " +
                std::strerror(errno);
        return false;
    }
    socklen_t len = sizeof addr;
    ::getsockname(m_listenFd, reinterpret_cast<sockaddr *>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    addFd(m_epollFd, m_listenFd, EPOLLIN, kListenTag);
    addFd(m_epollFd, m_wakeFd, EPOLLIN, kWakeTag);
    return true;
}

void Server::stop()
{
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(m_wakeFd, &one, sizeof one);
}

void Server::catchSignals()
{
    // Blocked before the ready line is printed: a SIGTERM that follows it at once must
    // reach the signalfd, not the default action.
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGUSR1);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    m_signalFd = ::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    addFd(m_epollFd, m_signalFd, EPOLLIN, kSignalTag);
}

void Server::run()
{
    ::signal(SIGPIPE, SIG_IGN);
    epoll_event events[256];
    std::int64_t lastTick = clock::monotonicMs();
    m_lastIdleCheckMs = lastTick;
    while (!m_stopping) {
        const int n = ::epoll_wait(m_epollFd, events, 256, kTickMs);
        for (int i = 0; i < n; ++i) {
            const std::uint64_t tag = events[i].data.u64;
            if (tag == kListenTag) {
                acceptAll();
            } else if (tag == kSignalTag) {
                onSignal();
            } else if (tag == kWakeTag) {
                spdlog::info("stopping: finishing in-flight requests");
                m_stopping = true;
            } else if (auto it = m_connections.find(tag);
                       it != m_connections.end() && it->second->fd >= 0) {
                Connection &c = *it->second;
                // A hang-up is read like data: the read sees the end (or the error) itself.
                // EPOLLRDHUP comes even while a request waits and reading is paused, so a
                // client that goes during a long poll is let go at once.
                if (events[i].events & EPOLLOUT)
                    flushOut(c);
                if (c.fd >= 0 && (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)))
                    onReadable(c);
            }
        }
        resumeDeferred();
        closeMarked();
        const std::int64_t now = clock::monotonicMs();
        if (m_acceptPaused && now >= m_acceptRetryMs)
            resumeAccepting();
        if (now - lastTick >= kTickMs) {
            lastTick = now;
            {
                Dispatching dispatching(m_dispatching);
                m_sink.tick(now);
            }
            resumeDeferred();
            if (now - m_lastIdleCheckMs >= kIdleCheckMs)
                closeIdle(now);
            closeMarked();
        }
    }
    // Stop accepting, answer whatever waits, give clients a moment to take their bytes.
    ::close(m_listenFd);
    m_listenFd = -1;
    {
        Dispatching dispatching(m_dispatching);
        m_sink.drain();
    }
    const std::int64_t deadline = clock::monotonicMs() + 2000;
    while (clock::monotonicMs() < deadline) {
        bool pending = false;
        for (auto &[id, c] : m_connections) {
            flushOut(*c);
            pending = pending || c->pendingOut() > 0;
        }
        closeMarked();
        if (!pending)
            break;
        ::usleep(5000);
    }
}

void Server::onSignal()
{
    signalfd_siginfo info{};
    while (::read(m_signalFd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        if (info.ssi_signo == SIGUSR1) {
            spdlog::info("stats: {}", stats());
        } else {
            spdlog::info("stopping: finishing in-flight requests");
            m_stopping = true;
        }
    }
}

std::size_t Server::bufferedBytes() const
{
    std::size_t total = 0;
    for (const auto &[id, c] : m_connections)
        total += c->in.capacity() + outCapacity(*c);
    return total;
}

std::string Server::stats() const
{
    std::size_t in = 0;
    std::size_t out = 0;
    std::size_t paused = 0;
    for (const auto &[id, c] : m_connections) {
        in += c->in.capacity();
        out += outCapacity(*c);
        paused += c->pendingOut() >= kMaxPendingOut ? 1 : 0;
    }
    return "seq=" + std::to_string(m_statsSeq++) +
           " connections=" + std::to_string(m_connections.size()) +
           " in_buffer_bytes=" + std::to_string(in) + " out_buffer_bytes=" + std::to_string(out) +
           " received_bytes=" + std::to_string(m_receivedBytes) +
           " paused_reading=" + std::to_string(paused) +
           " refused_connections=" + std::to_string(m_refused) +
           " idle_closed=" + std::to_string(m_idleClosed) +
           " accept_paused=" + std::to_string(m_acceptPaused ? 1 : 0) +
           " suppressed_log_lines=" + std::to_string(m_rateLimited.suppressedTotal()) +
           m_sink.stats();
}

void Server::acceptAll()
{
    for (;;) {
        sockaddr_in addr{};
        socklen_t len = sizeof addr;
        const int fd = ::accept4(m_listenFd, reinterpret_cast<sockaddr *>(&addr), &len,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE)
                pauseAccepting("out of file descriptors");
            else if (errno == ENOBUFS || errno == ENOMEM)
                pauseAccepting("out of memory");
            else if (errno != EAGAIN)
                m_rateLimited.log(spdlog::level::err, "accept",
                                  std::string("cannot accept a connection: ") +
                                      std::strerror(errno));
            return;
        }
        if (m_connections.size() >= m_options.maxConnections) {
            refuse(fd);
            continue;
        }
        if (m_refusedInBurst > 0) {
            spdlog::info("accepting connections again ({} refused while {} were open)",
                         m_refusedInBurst, m_options.maxConnections);
            m_refusedInBurst = 0;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto c = std::make_unique<Connection>();
        c->fd = fd;
        c->id = m_nextId++;
        char ip[INET_ADDRSTRLEN] = {};
        ::inet_ntop(AF_INET, &addr.sin_addr, ip, sizeof ip);
        c->peer = std::string(ip) + ":" + std::to_string(ntohs(addr.sin_port));
        c->lastActivityMs = clock::monotonicMs();
        c->events = EPOLLIN | EPOLLRDHUP;
        addFd(m_epollFd, fd, c->events, c->id);
        spdlog::debug("connection {} from {}", c->id, c->peer);
        m_connections.emplace(c->id, std::move(c));
    }
}

void Server::refuse(int fd)
{
    ::close(fd);
    ++m_refused;
    // One line when a burst starts, one when it ends (on the next accepted connection).
    if (m_refusedInBurst++ == 0)
        spdlog::warn("refusing new connections: {} are open, the most --max-connections allows",
                     m_connections.size());
}

void Server::pauseAccepting(const char *why)
{
    // Level-triggered epoll would report the pending connection again at once: stop
    // watching the socket until a descriptor may be free, instead of spinning.
    ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, m_listenFd, nullptr);
    m_acceptPaused = true;
    m_acceptRetryMs = clock::monotonicMs() + kAcceptRetryMs;
    m_rateLimited.log(spdlog::level::err, "accept-paused",
                      std::string("cannot accept connections: ") + why + " (" +
                          std::to_string(m_connections.size()) +
                          " open); new clients wait until one closes");
}

void Server::resumeAccepting()
{
    if (!m_acceptPaused || m_listenFd < 0)
        return;
    m_acceptPaused = false;
    addFd(m_epollFd, m_listenFd, EPOLLIN, kListenTag);
}

void Server::closeIdle(std::int64_t nowMs)
{
    m_lastIdleCheckMs = nowMs;
    for (auto &[id, c] : m_connections) {
        const bool busy = c->waiting || c->pendingOut() > 0;
        if (c->fd < 0 || busy || nowMs - c->lastActivityMs <= m_options.connectionsMaxIdleMs)
            continue;
        ++m_idleClosed;
        close(*c, "idle for more than " + std::to_string(m_options.connectionsMaxIdleMs) + " ms",
              true);
    }
}

void Server::onReadable(Connection &c)
{
    bool sawEnd = false;
    for (;;) {
        const ssize_t n = ::read(c.fd, m_scratch.get(), kReadChunk);
        if (n == 0) {
            sawEnd = true;
            break;
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN) {
                close(c, std::string("read failed: ") + std::strerror(errno));
                return;
            }
            break;
        }
        m_receivedBytes += static_cast<std::uint64_t>(n);
        if (c.inStart > 0) {
            c.in.erase(c.in.begin(), c.in.begin() + static_cast<std::ptrdiff_t>(c.inStart));
            c.inStart = 0;
        }
        c.in.insert(c.in.end(), m_scratch.get(), m_scratch.get() + n);
        // Once a whole frame is here, handle it before reading on: what waits in the
        // socket stays with the kernel, not in our buffers.
        if (static_cast<std::size_t>(n) < kReadChunk || !needsMore(c, m_options.maxFrameBytes))
            break;
    }
    c.lastActivityMs = clock::monotonicMs();
    if (sawEnd) {
        close(c,
              c.waiting || c.in.size() > c.inStart ? "client vanished mid-request"
                                                   : "client closed the connection",
              !c.waiting && c.in.size() == c.inStart);
        return;
    }
    processFrames(c);
}

void Server::processFrames(Connection &c)
{
    if (c.processing)
        return;
    if (m_dispatching) {
        // A deferred response to this connection was sent from inside the sink (another
        // connection's produce completing this one's fetch, a timer): its next request
        // would run in the middle of that work. The run loop resumes it.
        m_resume.push_back(c.id);
        updateInterest(c);
        return;
    }
    c.processing = true;
    while (c.fd >= 0 && !c.waiting && !c.closeAfterWrite && c.pendingOut() < kMaxPendingOut) {
        const std::size_t avail = c.in.size() - c.inStart;
        if (avail < 4)
            break;
        const std::int32_t size = loadI32(c.in.data() + c.inStart);
        const bool raw = m_sink.expectsRawToken(c.id);
        if (size < (raw ? 0 : 8) || static_cast<std::size_t>(size) > m_options.maxFrameBytes) {
            close(c, "frame of " + std::to_string(size) + " bytes is outside the accepted range");
            break;
        }
        if (avail < 4 + static_cast<std::size_t>(size))
            break;
        const std::size_t frameStart = c.inStart + 4;
        c.inStart += 4 + static_cast<std::size_t>(size);
        const bool goOn =
            raw ? handleRawToken(c, c.in.data() + frameStart, static_cast<std::size_t>(size))
                : handleFrame(c, c.in.data() + frameStart, static_cast<std::size_t>(size));
        if (!goOn)
            break;
    }
    c.processing = false;
    if (c.inStart == c.in.size()) {
        release(c.in);
        c.inStart = 0;
    } else if (c.in.capacity() > kKeepBytes && c.in.capacity() > 2 * c.in.size()) {
        c.in.erase(c.in.begin(), c.in.begin() + static_cast<std::ptrdiff_t>(c.inStart));
        c.inStart = 0;
        c.in.shrink_to_fit();
    }
    updateInterest(c);
}

bool Server::handleFrame(Connection &c, const std::uint8_t *frame, std::size_t size)
{
    RequestHeader header;
    ResponseRoute route;
    ByteReader r(frame, size);
    try {
        header.apiKey = r.i16();
        header.apiVersion = r.i16();
        header.correlationId = r.i32();
        const auto shape = m_sink.headerShape(header.apiKey, header.apiVersion);
        if (!shape.known) {
            close(c, "unknown API key " + std::to_string(header.apiKey));
            return false;
        }
        header.clientId = r.nullableStr(); // never compact, even in header v2
        r.setFlexible(shape.flexibleRequest);
        r.skipTags();
        route = {c.id, header.correlationId, shape.flexibleResponse};
        ByteWriter out = beginResponse(route);
        c.waiting = true;
        RequestSink::Outcome outcome;
        {
            Dispatching dispatching(m_dispatching);
            outcome = m_sink.handle(header, r, route, out, c);
        }
        return finish(c, outcome, std::move(out),
                      "request " + std::to_string(header.apiKey) + " v" +
                          std::to_string(header.apiVersion));
    } catch (const WireError &e) {
        close(c, "malformed request (api key " + std::to_string(header.apiKey) + " v" +
                     std::to_string(header.apiVersion) + "): " + e.what());
    } catch (const std::exception &e) {
        spdlog::error("request {} v{} failed: {}", header.apiKey, header.apiVersion, e.what());
        close(c, "internal error");
    }
    return false;
}

bool Server::handleRawToken(Connection &c, const std::uint8_t *frame, std::size_t size)
{
    ByteWriter out;
    out.placeholder32();
    c.waiting = true;
    try {
        RequestSink::Outcome outcome;
        {
            Dispatching dispatching(m_dispatching);
            outcome = m_sink.handleRawToken({reinterpret_cast<const char *>(frame), size}, out, c);
        }
        return finish(c, outcome, std::move(out), "SASL token");
    } catch (const std::exception &e) {
        spdlog::error("SASL token failed: {}", e.what());
        close(c, "internal error");
    }
    return false;
}

bool Server::finish(Connection &c, RequestSink::Outcome outcome, ByteWriter &&out,
                    const std::string &what)
{
    switch (outcome) {
    case RequestSink::Outcome::Respond:
        c.waiting = false;
        queue(c, std::move(out));
        return true;
    case RequestSink::Outcome::NoResponse:
        c.waiting = false;
        return true;
    case RequestSink::Outcome::Defer:
        return !c.waiting; // respond() may already have answered
    case RequestSink::Outcome::RespondAndClose:
        c.waiting = false;
        c.closeAfterWrite = true;
        queue(c, std::move(out));
        return false;
    case RequestSink::Outcome::Close:
        close(c, what + " refused");
        return false;
    }
    return false;
}

void Server::resumeDeferred()
{
    // Handling these may defer further connections; go on until none is left.
    while (!m_resume.empty()) {
        const std::vector<std::uint64_t> ids = std::exchange(m_resume, {});
        for (std::uint64_t id : ids) {
            auto it = m_connections.find(id);
            if (it != m_connections.end() && it->second->fd >= 0)
                processFrames(*it->second);
        }
    }
}

void Server::queue(Connection &c, ByteWriter &&response)
{
    auto &buf = response.buffer();
    storeI32(buf.data(), static_cast<std::int32_t>(buf.size() - 4));
    // Encoding grows buffers by doubling: a response that waits gives back the slack.
    if (buf.capacity() > kKeepBytes && buf.capacity() > buf.size() + buf.size() / 4)
        buf.shrink_to_fit();
    c.outBytes += buf.size();
    c.out.push_back(std::move(buf));
    flushOut(c);
}

void Server::respond(const ResponseRoute &route, ByteWriter &&response)
{
    auto it = m_connections.find(route.connectionId);
    if (it == m_connections.end() || it->second->fd < 0)
        return;
    Connection &c = *it->second;
    c.waiting = false;
    queue(c, std::move(response));
    processFrames(c);
}

void Server::flushOut(Connection &c)
{
    constexpr std::size_t kMaxIov = 64;
    while (!c.out.empty() && c.fd >= 0) {
        // Many small pipelined answers go out in one call.
        iovec iov[kMaxIov];
        std::size_t count = 0;
        for (auto it = c.out.begin(); it != c.out.end() && count < kMaxIov; ++it, ++count) {
            const std::size_t skip = count == 0 ? c.outSent : 0;
            iov[count].iov_base = it->data() + skip;
            iov[count].iov_len = it->size() - skip;
        }
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = count;
        const ssize_t n = ::sendmsg(c.fd, &msg, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                close(c, std::string("write failed: ") + std::strerror(errno));
            break;
        }
        auto sent = static_cast<std::size_t>(n);
        while (sent > 0) {
            const std::size_t left = c.out.front().size() - c.outSent;
            if (sent < left) {
                c.outSent += sent;
                break;
            }
            sent -= left;
            c.outBytes -= c.out.front().size();
            c.outSent = 0;
            c.out.pop_front();
        }
        c.lastActivityMs = clock::monotonicMs();
    }
    if (c.fd >= 0 && c.out.empty() && c.closeAfterWrite)
        close(c, "closing after the last response", true);
    if (!c.processing && c.fd >= 0) {
        // Draining the output may unblock frames that were left unread.
        if (c.pendingOut() < kMaxPendingOut && c.inStart < c.in.size() && !c.waiting)
            processFrames(c);
        else
            updateInterest(c);
    }
}

void Server::updateInterest(Connection &c)
{
    if (c.fd < 0)
        return;
    std::uint32_t events = EPOLLRDHUP;
    if (!c.waiting && c.pendingOut() < kMaxPendingOut)
        events |= EPOLLIN;
    if (c.pendingOut() > 0)
        events |= EPOLLOUT;
    if (events == c.events)
        return;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = c.id;
    ::epoll_ctl(m_epollFd, EPOLL_CTL_MOD, c.fd, &ev);
    c.events = events;
}

void Server::close(Connection &c, const std::string &why, bool expected)
{
    if (c.fd < 0)
        return;
    const std::string line = "connection " + std::to_string(c.id) + " (" + c.peer + "): " + why;
    if (expected)
        spdlog::debug("{}", line);
    else
        m_rateLimited.log(spdlog::level::warn, "close", "closing " + line);
    ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    c.fd = -1;
    release(c.in);
    std::deque<std::vector<std::uint8_t>>().swap(c.out);
    c.inStart = 0;
    c.outSent = 0;
    c.outBytes = 0;
    m_toClose.push_back(c.id);
}

void Server::closeMarked()
{
    if (m_toClose.empty())
        return;
    for (std::uint64_t id : m_toClose) {
        m_connections.erase(id);
        m_sink.connectionClosed(id);
    }
    m_toClose.clear();
    resumeAccepting(); // a descriptor is free again
}

} // namespace periscope::broker
