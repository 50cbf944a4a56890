#pragma once

// Kafka requests as raw bytes over a plain socket, for tests of what the broker does with
// input no well-behaved client sends (and of framing itself).
#include <QByteArray>
#include <cstdint>
#include <string>
#include <vector>

namespace periscope::test {

using Bytes = std::vector<std::uint8_t>;

void put8(Bytes &b, int v);
void put16(Bytes &b, int v);
void put32(Bytes &b, std::uint32_t v);
void put64(Bytes &b, std::int64_t v);
void putStr(Bytes &b, const std::string &s);
void append(Bytes &to, const Bytes &more);
std::uint32_t get32(const std::uint8_t *p);
int get16(const std::uint8_t *p);
std::int64_t get64(const std::uint8_t *p);
// The correlation id of a response frame, or -1 for none (closed or timed out).
std::int64_t correlation(const Bytes &frame);
QByteArray toQt(const Bytes &b);
Bytes fromQt(const QByteArray &a);

// A v2 record batch holding one record (null key) with a correct CRC; idempotent when a
// producer id (epoch 0) and sequence are given.
Bytes recordBatch(const std::string &value, std::int64_t producerId = -1,
                  std::int32_t baseSequence = -1);

enum class Header { V1, V2, V1NullClient, V2WithTag };
// A request frame: header v1 (or v2 with its tag section), then the body.
Bytes request(int apiKey, int version, std::uint32_t correlationId, const Bytes &body,
              Header header = Header::V1);

// ApiVersions v3 body: compact client software name and version, then no tags.
extern const Bytes kApiVersionsV3Body;

// Fetch v4 of one partition from offset: waits up to maxWaitMs for one byte.
Bytes fetchRequest(std::uint32_t correlationId, const std::string &topic, std::int64_t offset,
                   int maxWaitMs, int maxBytes = 1 << 20, int partitionMaxBytes = 1 << 20);
// Produce v3 of one record to partition 0.
Bytes produceRequest(std::uint32_t correlationId, const std::string &topic, int acks,
                     const std::string &value);
// Produce v3 of a batch to partition 0.
Bytes produceBatchRequest(std::uint32_t correlationId, const std::string &topic, int acks,
                          const Bytes &batch);
// The base offset of the first partition in a Produce v3 response (topic name of n bytes).
std::int64_t produceOffset(const Bytes &frame, std::size_t topicLength);
// Error code of the first partition in a Produce v3 response for a topic name of n bytes.
int produceError(const Bytes &frame, std::size_t topicLength);

class RawClient final
{
public:
    explicit RawClient(int port);
    ~RawClient();
    RawClient(const RawClient &) = delete;
    RawClient &operator=(const RawClient &) = delete;

    bool connected() const { return m_connected; }
    bool send(const Bytes &b);
    // Reads one response frame (without its size); empty when the broker closed the
    // connection or nothing came in time.
    Bytes readFrame(int timeoutMs = 5000);
    // True when the broker closes the connection within the time-out (having sent nothing).
    bool closedByPeer(int timeoutMs = 5000);
    // True when nothing at all arrives within the time.
    bool silentFor(int ms);

private:
    Bytes readExactly(std::size_t n, int timeoutMs);

    int m_fd = -1;
    bool m_connected = false;
};

} // namespace periscope::test
