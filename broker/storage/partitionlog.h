#pragma once

#include "segment.h"
#include "topicconfig.h"
#include "wire/errors.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace periscope::broker {

// The log of one partition: a sequence of segments, its log start offset (persisted when
// DeleteRecords or retention moves it) and the idempotent producers' last sequences.
class PartitionLog final
{
public:
    explicit PartitionLog(std::filesystem::path dir);
    ~PartitionLog();

    // Opens existing segments or starts an empty log; verifyTail checks the last segment
    // batch by batch and cuts a torn tail.
    void load(bool verifyTail);

    struct AppendResult
    {
        Error error = Error::None;
        std::int64_t baseOffset = -1;
        std::int64_t logAppendTime = -1;
        std::string message;
    };
    // Appends the batches in records (modified in place: base offsets, LogAppendTime).
    AppendResult append(std::uint8_t *records, std::vector<BatchInfo> &batches,
                        const LogConfig &config, std::int64_t nowMs);

    // Appends whole batches from offset on to out; returns OffsetOutOfRange when offset is
    // outside [logStart, highWatermark].
    Error read(std::int64_t offset, std::size_t maxBytes, std::vector<std::uint8_t> &out);

    std::int64_t logStartOffset() const { return m_logStart; }
    std::int64_t highWatermark() const { return m_next; }
    std::optional<TimestampHit> offsetForTimestamp(std::int64_t ts) const;
    std::int64_t maxTimestamp() const;
    Error deleteRecordsBefore(std::int64_t offset);
    // Deletes closed segments past retention.ms or beyond retention.bytes; returns how many.
    int applyRetention(const LogConfig &config, std::int64_t nowMs);
    std::uint64_t sizeBytes() const;
    std::uint64_t truncatedBytes() const { return m_truncatedBytes; }
    void flush();
    void removeFiles();

private:
    struct ProducerState
    {
        std::int16_t epoch;
        std::int32_t firstSeq;
        std::int32_t lastSeq;
        std::int64_t baseOffset;
    };

    Segment &active(); // created on first use
    void roll();
    void dropSegmentsBelow(std::int64_t offset);
    void persistLogStart();
    Error checkSequence(const BatchInfo &b, std::int64_t *duplicateOffset) const;

    std::filesystem::path m_dir;
    std::vector<std::unique_ptr<Segment>> m_segments;
    std::int64_t m_logStart = 0;
    std::int64_t m_next = 0;
    std::uint64_t m_truncatedBytes = 0;
    std::unordered_map<std::int64_t, ProducerState> m_producers;
    // Where the last read stopped, so a consumer reading on does not search the index.
    std::int64_t m_hintOffset = -1;
    std::uint64_t m_hintPosition = 0;
    std::size_t m_hintSegment = 0;
};

} // namespace periscope::broker
