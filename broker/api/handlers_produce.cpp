// Produce: validate each partition's batches, append, answer (or not, for acks=0).
#include "base/clock.h"
#include "broker.h"

#include <spdlog/spdlog.h>

namespace periscope::broker {

using Outcome = RequestSink::Outcome;

namespace {
constexpr std::size_t kKeptDecompressBytes = std::size_t(8) << 20;

struct PartitionResult
{
    std::int32_t partition;
    Error error = Error::None;
    std::int64_t baseOffset = -1;
    std::int64_t logAppendTime = -1;
    std::int64_t logStart = -1;
};

// The codes Kafka's log layer answers: InvalidRecordException for records that do not
// match their batch header, a corrupt message for what cannot be read at all. Kafka has no
// bound on decompressed size; past ours the batch is too large as a whole, a code that is
// final for librdkafka and makes the Java producer split the batch.
Error problemToError(BatchProblem p)
{
    switch (p) {
    case BatchProblem::BadMagic:
        return Error::UnsupportedVersion;
    case BatchProblem::BadCount:
    case BatchProblem::BadRecords:
        return Error::InvalidRecord;
    case BatchProblem::TooLarge:
        return Error::MessageTooLarge;
    default:
        return Error::CorruptMessage;
    }
}

const char *describe(BatchProblem p)
{
    switch (p) {
    case BatchProblem::BadCrc:
        return "CRC mismatch";
    case BatchProblem::BadCount:
        return "record count does not match the offsets";
    case BatchProblem::BadCompression:
        return "unknown compression codec";
    case BatchProblem::BadRecords:
        return "records do not match the record count";
    case BatchProblem::Undecodable:
        return "compressed records do not decompress";
    case BatchProblem::TooLarge:
        return "compressed records expand past the broker's limit";
    default:
        return "malformed record batch";
    }
}
} // namespace

Outcome Broker::produce(Request &r)
{
    const auto v = r.version();
    // v0-2 carry no transactional id. librdkafka 2.0.2 compresses with gzip, snappy or lz4
    // only when a broker lists Produce v0, so those versions are served: their requests have
    // the same shape, and batches older than magic 2 are refused below.
    const auto transactionalId = v >= 3 ? r.in.nullableStr() : std::nullopt;
    const std::int16_t acks = r.in.i16();
    r.in.i32(); // timeout: appends here are synchronous
    const std::int64_t now = clock::wallMs();
    const bool validAcks = acks == 0 || acks == 1 || acks == -1;

    std::vector<std::pair<std::string, std::vector<PartitionResult>>> results;
    const std::int32_t topicCount = r.in.arrayLength();
    for (std::int32_t t = 0; t < topicCount; ++t) {
        auto &[name, parts] = results.emplace_back(r.in.str(), std::vector<PartitionResult>{});
        Topic *topic = m_store.find(name);
        const std::int32_t partCount = r.in.arrayLength();
        for (std::int32_t i = 0; i < partCount; ++i) {
            PartitionResult &res = parts.emplace_back();
            res.partition = r.in.i32();
            auto records = r.in.nullableBytes();
            if (!validAcks) {
                res.error = Error::InvalidRequiredAcks;
                continue;
            }
            if (transactionalId) {
                res.error = Error::InvalidTxnState;
                continue;
            }
            if (!topic || res.partition < 0 ||
                res.partition >= static_cast<std::int32_t>(topic->partitions.size())) {
                res.error = Error::UnknownTopicOrPartition;
                continue;
            }
            if (topic->internal) {
                // As Kafka: only the broker itself writes to its internal topics.
                res.error = Error::InvalidTopic;
                continue;
            }
            PartitionLog &log = *topic->partitions[static_cast<std::size_t>(res.partition)];
            res.logStart = log.logStartOffset();
            std::vector<BatchInfo> batches;
            const BatchProblem problem =
                records ? splitBatches(*records, batches, m_decompressed) : BatchProblem::Truncated;
            if (problem != BatchProblem::None) {
                res.error = problemToError(problem);
                m_rateLimited.log(spdlog::level::warn, "produce-refused",
                                  "produce to " + name + "-" + std::to_string(res.partition) +
                                      " from " + r.conn.peer + " refused: " + describe(problem));
                continue;
            }
            const bool zstd = std::any_of(batches.begin(), batches.end(),
                                          [](const BatchInfo &b) { return b.compression() == 4; });
            if (zstd && v < 7) {
                res.error = Error::UnsupportedCompressionType;
                continue;
            }
            try {
                // The request buffer is ours until the handler returns: modify in place.
                auto *data = const_cast<std::uint8_t *>(
                    reinterpret_cast<const std::uint8_t *>(records->data()));
                auto appended = log.append(data, batches, topic->logConfig, now);
                res.error = appended.error;
                res.baseOffset = appended.error == Error::None ? appended.baseOffset : -1;
                res.logAppendTime = appended.logAppendTime;
                if (appended.error == Error::None)
                    m_dataArrived = true;
                else if (!appended.message.empty())
                    m_rateLimited.log(spdlog::level::warn, "produce-failed",
                                      "produce to " + name + "-" + std::to_string(res.partition) +
                                          ": " + appended.message);
            } catch (const std::exception &e) {
                spdlog::error("cannot append to {}-{}: {}", name, res.partition, e.what());
                res.error = Error::KafkaStorageError;
            }
        }
    }
    // Kept for the usual batch sizes (its pages stay mapped; fresh ones cost more than
    // decompressing into them), released after a rare large one.
    if (m_decompressed.capacity() > kKeptDecompressBytes)
        std::vector<std::uint8_t>().swap(m_decompressed);
    if (m_dataArrived)
        completeWaitingFetches(now, false);
    if (acks == 0)
        return Outcome::NoResponse;

    ByteWriter &out = r.out;
    out.arrayLength(results.size());
    for (const auto &[name, parts] : results) {
        out.str(name);
        out.arrayLength(parts.size());
        for (const auto &p : parts) {
            out.i32(p.partition);
            out.i16(code(p.error));
            out.i64(p.baseOffset);
            if (v >= 2)
                out.i64(p.logAppendTime);
            if (v >= 5)
                out.i64(p.logStart);
        }
    }
    if (v >= 1)
        out.i32(0); // throttle
    return Outcome::Respond;
}

} // namespace periscope::broker
