#include "rawkafka.h"

#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace periscope::test {

namespace {
std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// CRC-32C (Castagnoli, reflected), bit by bit: fast enough for a few test batches.
std::uint32_t crc32c(const std::uint8_t *p, std::size_t n)
{
    std::uint32_t crc = 0xffffffffu;
    for (std::size_t i = 0; i < n; ++i) {
        crc ^= p[i];
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
    }
    return ~crc;
}
} // namespace

void put8(Bytes &b, int v)
{
    b.push_back(static_cast<std::uint8_t>(v));
}
void put16(Bytes &b, int v)
{
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}
void put32(Bytes &b, std::uint32_t v)
{
    for (int s = 24; s >= 0; s -= 8)
        b.push_back(static_cast<std::uint8_t>(v >> s));
}
void put64(Bytes &b, std::int64_t v)
{
    put32(b, static_cast<std::uint32_t>(static_cast<std::uint64_t>(v) >> 32));
    put32(b, static_cast<std::uint32_t>(v));
}
void putStr(Bytes &b, const std::string &s)
{
    put16(b, static_cast<int>(s.size()));
    b.insert(b.end(), s.begin(), s.end());
}
void append(Bytes &to, const Bytes &more)
{
    to.insert(to.end(), more.begin(), more.end());
}
std::uint32_t get32(const std::uint8_t *p)
{
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}
int get16(const std::uint8_t *p)
{
    return static_cast<std::int16_t>(p[0] << 8 | p[1]);
}
std::int64_t get64(const std::uint8_t *p)
{
    return static_cast<std::int64_t>(std::uint64_t(get32(p)) << 32 | get32(p + 4));
}
std::int64_t correlation(const Bytes &frame)
{
    return frame.size() >= 4 ? std::int64_t(get32(frame.data())) : -1;
}
QByteArray toQt(const Bytes &b)
{
    return QByteArray(reinterpret_cast<const char *>(b.data()), static_cast<qsizetype>(b.size()));
}
Bytes fromQt(const QByteArray &a)
{
    return Bytes(a.begin(), a.end());
}

void putVarint(Bytes &b, std::int64_t v)
{
    auto u = (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
    while (u >= 0x80) {
        b.push_back(static_cast<std::uint8_t>(u | 0x80));
        u >>= 7;
    }
    b.push_back(static_cast<std::uint8_t>(u));
}

Bytes recordBatch(const std::string &value, std::int64_t producerId, std::int32_t baseSequence)
{
    Bytes record;
    put8(record, 0);       // attributes
    put8(record, 0);       // timestamp delta 0
    put8(record, 0);       // offset delta 0
    putVarint(record, -1); // null key
    putVarint(record, static_cast<std::int64_t>(value.size()));
    record.insert(record.end(), value.begin(), value.end());
    put8(record, 0); // no headers

    Bytes b;
    put64(b, 0); // base offset
    put32(b, 0); // batch length, patched below
    put32(b, 0); // partition leader epoch
    put8(b, 2);  // magic
    put32(b, 0); // CRC, patched below
    const std::size_t crcFrom = b.size();
    put16(b, 0); // attributes
    put32(b, 0); // last offset delta
    const std::int64_t now = nowMs();
    put64(b, now);
    put64(b, now);
    put64(b, producerId);
    put16(b, producerId < 0 ? -1 : 0); // producer epoch
    put32(b, static_cast<std::uint32_t>(baseSequence));
    put32(b, 1); // record count
    putVarint(b, static_cast<std::int64_t>(record.size()));
    append(b, record);
    const auto length = static_cast<std::uint32_t>(b.size() - 12);
    for (int i = 0; i < 4; ++i)
        b[8 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(length >> (24 - 8 * i));
    const std::uint32_t crc = crc32c(b.data() + crcFrom, b.size() - crcFrom);
    for (int i = 0; i < 4; ++i)
        b[17 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
    return b;
}

Bytes request(int apiKey, int version, std::uint32_t correlationId, const Bytes &body,
              Header header)
{
    Bytes b;
    put16(b, apiKey);
    put16(b, version);
    put32(b, correlationId);
    if (header == Header::V1NullClient)
        put16(b, -1);
    else
        putStr(b, "t");
    if (header == Header::V2)
        put8(b, 0);
    if (header == Header::V2WithTag) // one unknown tagged field (tag 5, 3 bytes)
        b.insert(b.end(), {1, 5, 3, 'a', 'b', 'c'});
    append(b, body);
    Bytes frame;
    put32(frame, static_cast<std::uint32_t>(b.size()));
    append(frame, b);
    return frame;
}

const Bytes kApiVersionsV3Body{8, 'p', 'e', 'r', 'i', 's', 'c', 'o', 4, '1', '.', '0', 0};

Bytes fetchRequest(std::uint32_t correlationId, const std::string &topic, std::int64_t offset,
                   int maxWaitMs, int maxBytes, int partitionMaxBytes)
{
    Bytes body;
    put32(body, 0xffffffffu); // replica id -1
    put32(body, static_cast<std::uint32_t>(maxWaitMs));
    put32(body, 1); // min bytes
    put32(body, static_cast<std::uint32_t>(maxBytes));
    put8(body, 0); // read uncommitted
    put32(body, 1);
    putStr(body, topic);
    put32(body, 1);
    put32(body, 0); // partition
    put64(body, offset);
    put32(body, static_cast<std::uint32_t>(partitionMaxBytes));
    return request(1, 4, correlationId, body);
}

Bytes produceRequest(std::uint32_t correlationId, const std::string &topic, int acks,
                     const std::string &value)
{
    return produceBatchRequest(correlationId, topic, acks, recordBatch(value));
}

Bytes produceBatchRequest(std::uint32_t correlationId, const std::string &topic, int acks,
                          const Bytes &batch)
{
    Bytes body;
    put16(body, -1); // no transactional id
    put16(body, acks);
    put32(body, 5000);
    put32(body, 1);
    putStr(body, topic);
    put32(body, 1);
    put32(body, 0);
    put32(body, static_cast<std::uint32_t>(batch.size()));
    append(body, batch);
    return request(0, 3, correlationId, body);
}

int produceError(const Bytes &frame, std::size_t topicLength)
{
    const std::size_t at = 4 + 4 + 2 + topicLength + 4 + 4;
    return frame.size() >= at + 2 ? get16(frame.data() + at) : -1;
}

std::int64_t produceOffset(const Bytes &frame, std::size_t topicLength)
{
    const std::size_t at = 4 + 4 + 2 + topicLength + 4 + 4 + 2;
    return frame.size() >= at + 8 ? get64(frame.data() + at) : -2;
}

RawClient::RawClient(int port)
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    m_connected =
        m_fd >= 0 && ::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
}

RawClient::~RawClient()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool RawClient::send(const Bytes &b)
{
    std::size_t sent = 0;
    while (sent < b.size()) {
        const ssize_t n = ::send(m_fd, b.data() + sent, b.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

Bytes RawClient::readFrame(int timeoutMs)
{
    Bytes size = readExactly(4, timeoutMs);
    if (size.size() < 4)
        return {};
    return readExactly(get32(size.data()), timeoutMs);
}

bool RawClient::closedByPeer(int timeoutMs)
{
    pollfd p{m_fd, POLLIN, 0};
    if (::poll(&p, 1, timeoutMs) <= 0)
        return false;
    char c;
    return ::recv(m_fd, &c, 1, 0) <= 0;
}

bool RawClient::silentFor(int ms)
{
    pollfd p{m_fd, POLLIN, 0};
    return ::poll(&p, 1, ms) == 0;
}

Bytes RawClient::readExactly(std::size_t n, int timeoutMs)
{
    Bytes out;
    while (out.size() < n) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) <= 0)
            return {};
        std::uint8_t buf[65536];
        const ssize_t got = ::recv(m_fd, buf, std::min(sizeof buf, n - out.size()), 0);
        if (got <= 0)
            return {};
        out.insert(out.end(), buf, buf + got);
    }
    return out;
}

} // namespace periscope::test
