#pragma once

#include "wire/recordbatch.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace periscope::broker {

// One log segment: `<base>.log` holds record batches exactly as stored, `<base>.index` maps
// offsets to file positions every ~index.interval.bytes and `<base>.timeindex` maps growing
// max timestamps to offsets, so lookups never scan a whole segment.
// A ListOffsets-by-time answer: the first record at or after the time, and its timestamp
// (clients such as kafka-python show it).
struct TimestampHit
{
    std::int64_t offset = -1;
    std::int64_t timestamp = -1;
    bool operator==(const TimestampHit &) const = default;
};

class Segment final
{
public:
    struct IndexEntry
    {
        std::uint32_t relativeOffset;
        std::uint32_t position;
    };
    struct TimeEntry
    {
        std::int64_t timestamp;
        std::uint32_t relativeOffset;
    };

    // What the segment held at one moment, to go back to when an append fails.
    struct Mark
    {
        std::int64_t next;
        std::uint64_t size;
        std::int64_t maxTimestamp;
        std::uint64_t bytesSinceIndex;
        std::size_t indexEntries;
        std::size_t timeEntries;
    };

    ~Segment();
    Segment(const Segment &) = delete;
    Segment &operator=(const Segment &) = delete;

    static std::unique_ptr<Segment> create(const std::filesystem::path &dir, std::int64_t base);
    // Opens an existing segment. With verifyTail, batches after the last index entry are
    // CRC-checked and a torn or corrupt tail is cut off (the crash-recovery path).
    static std::unique_ptr<Segment> open(const std::filesystem::path &dir, std::int64_t base,
                                         bool isLast, bool verifyTail);

    std::int64_t baseOffset() const { return m_base; }
    std::int64_t nextOffset() const { return m_next; }
    std::uint64_t size() const { return m_size; }
    std::int64_t maxTimestamp() const { return m_maxTimestamp; }
    bool empty() const { return m_size == 0; }
    std::uint64_t truncatedBytes() const { return m_truncatedBytes; }

    // Appends whole batches that already carry their final base offsets. All or nothing:
    // when a write fails the files are cut back and the segment is as before, then it throws.
    void append(const std::uint8_t *data, std::size_t size, const std::vector<BatchInfo> &batches,
                std::uint32_t indexInterval);
    Mark mark() const;
    // Cuts files and memory back to an earlier mark; throws when a file cannot be cut.
    void rollbackTo(const Mark &mark);
    // File position of the first batch whose last offset is >= offset, if any.
    std::optional<std::uint64_t> positionOf(std::int64_t offset) const;
    // Reads whole batches from position, at most maxBytes; with wholeFirstBatch the first
    // batch comes whole even when it is larger. Returns the offset after the last batch
    // read, or nullopt when nothing was read.
    std::optional<std::int64_t> read(std::uint64_t position, std::size_t maxBytes,
                                     std::vector<std::uint8_t> &out, bool wholeFirstBatch) const;
    // First record whose timestamp is >= ts, or nullopt.
    std::optional<TimestampHit> offsetForTimestamp(std::int64_t ts) const;
    void sealTimeIndex(); // on roll: records the final max timestamp
    // Syncs the files (and, once, the directory that names them); throws on an I/O error.
    void flush();
    bool dirty() const { return m_flushedSize != m_size; }
    void removeFiles();

private:
    Segment(std::filesystem::path dir, std::int64_t base);
    void openFiles(bool create);
    void loadIndexes();
    void recoverTail(bool verify);
    std::optional<BatchInfo> headerAt(std::uint64_t position) const;
    std::filesystem::path file(const char *suffix) const;

    std::filesystem::path m_dir;
    std::int64_t m_base;
    std::int64_t m_next;
    std::uint64_t m_size = 0;
    std::int64_t m_maxTimestamp = -1;
    std::uint64_t m_bytesSinceIndex = 0;
    std::uint64_t m_truncatedBytes = 0;
    std::uint64_t m_flushedSize = 0;
    bool m_nameSynced = true; // false until the directory entry of a new segment is synced
    int m_logFd = -1;
    int m_indexFd = -1;
    int m_timeFd = -1;
    std::vector<IndexEntry> m_index;
    std::vector<TimeEntry> m_timeIndex;
};

std::string segmentFileName(std::int64_t base, const char *suffix);

} // namespace periscope::broker
