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
    // Appends the batches in records (modified in place: base offsets, LogAppendTime). All
    // or nothing: when a write or a sync fails, the files, offsets and producer states are
    // as before and the error is KafkaStorageError. nowMs stamps LogAppendTime.
    AppendResult append(std::uint8_t *records, std::vector<BatchInfo> &batches,
                        const LogConfig &config, std::int64_t nowMs);

    // Appends whole batches from offset on to out, at most maxBytes; with wholeFirstBatch
    // the first batch comes whole even when larger. OffsetOutOfRange when offset is outside
    // [logStart, highWatermark].
    Error read(std::int64_t offset, std::size_t maxBytes, std::vector<std::uint8_t> &out,
               bool wholeFirstBatch = true);

    std::int64_t logStartOffset() const { return m_logStart; }
    std::int64_t highWatermark() const { return m_next; }
    std::optional<TimestampHit> offsetForTimestamp(std::int64_t ts) const;
    std::int64_t maxTimestamp() const;
    Error deleteRecordsBefore(std::int64_t offset);
    // Deletes closed segments past retention.ms or beyond retention.bytes; returns how many.
    int applyRetention(const LogConfig &config, std::int64_t nowMs);
    std::uint64_t sizeBytes() const;
    std::uint64_t truncatedBytes() const { return m_truncatedBytes; }
    // Syncs what is not yet synced. False after an I/O error, which also marks the log
    // failed: it takes no more appends, since nothing written to it can be called durable.
    bool flush();
    // Syncs when unsynced data is older than flush.ms.
    bool flushIfDue(const LogConfig &config, std::int64_t monotonicMs);
    bool failed() const { return m_failed; }
    bool unflushed() const { return m_next > m_flushedOffset; }
    void removeFiles();

private:
    struct ProducerState
    {
        std::int16_t epoch;
        std::int32_t firstSeq;
        std::int32_t lastSeq;
        std::int64_t baseOffset;
    };

    using ProducerStates = std::unordered_map<std::int64_t, ProducerState>;

    Segment &active(); // created on first use
    void roll(std::int64_t base);
    void writeRuns(const std::uint8_t *records, const std::vector<BatchInfo> &batches,
                   const LogConfig &config);
    void syncAll();
    void dropSegmentsBelow(std::int64_t offset);
    void persistLogStart();
    Error checkSequence(const BatchInfo &b, const ProducerStates &pending,
                        std::int64_t *duplicateOffset) const;
    AppendResult fail(const std::string &what);

    std::filesystem::path m_dir;
    std::vector<std::unique_ptr<Segment>> m_segments;
    std::int64_t m_logStart = 0;
    std::int64_t m_next = 0;
    std::uint64_t m_truncatedBytes = 0;
    std::int64_t m_flushedOffset = 0; // everything below is synced
    std::int64_t m_lastFlushMs = 0;   // monotonic
    bool m_newDirectory = false;      // its name in the topic folder is not yet synced
    bool m_failed = false;
    ProducerStates m_producers;
    // Where the last read stopped, so a consumer reading on does not search the index.
    std::int64_t m_hintOffset = -1;
    std::uint64_t m_hintPosition = 0;
    std::size_t m_hintSegment = 0;
};

} // namespace periscope::broker
