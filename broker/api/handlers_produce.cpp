// Produce: validate each partition's batches, append, answer (or not, for acks=0).
#include "broker.h"

#include <spdlog/spdlog.h>

namespace periscope::broker {

using Outcome = RequestSink::Outcome;

namespace {
struct PartitionResult
{
    std::int32_t partition;
    Error error = Error::None;
    std::int64_t baseOffset = -1;
    std::int64_t logAppendTime = -1;
    std::int64_t logStart = -1;
};

Error problemToError(BatchProblem p)
{
    return p == BatchProblem::BadMagic ? Error::UnsupportedVersion : Error::CorruptMessage;
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
    const std::int64_t now = Server::nowMs();
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
            PartitionLog &log = *topic->partitions[static_cast<std::size_t>(res.partition)];
            res.logStart = log.logStartOffset();
            std::vector<BatchInfo> batches;
            const BatchProblem problem =
                records ? splitBatches(*records, batches) : BatchProblem::Truncated;
            if (problem != BatchProblem::None) {
                res.error = problemToError(problem);
                spdlog::warn(
                    "produce to {}-{} from {} refused: {}", name, res.partition, r.conn.peer,
                    problem == BatchProblem::BadCrc ? "CRC mismatch" : "malformed record batch");
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
                res.baseOffset = appended.baseOffset;
                res.logAppendTime = appended.logAppendTime;
                if (appended.error == Error::None)
                    m_dataArrived = true;
                else if (!appended.message.empty())
                    spdlog::warn("produce to {}-{}: {}", name, res.partition, appended.message);
            } catch (const std::exception &e) {
                spdlog::error("cannot append to {}-{}: {}", name, res.partition, e.what());
                res.error = Error::KafkaStorageError;
            }
        }
    }
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
