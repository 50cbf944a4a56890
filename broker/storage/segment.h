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

    // Appends whole batches that already carry their final base offsets.
    void append(const std::uint8_t *data, std::size_t size, const std::vector<BatchInfo> &batches,
                std::uint32_t indexInterval);
    // File position of the first batch whose last offset is >= offset, if any.
    std::optional<std::uint64_t> positionOf(std::int64_t offset) const;
    // Reads whole batches from position, at most maxBytes unless the first is larger.
    // Returns the offset after the last batch read, or nullopt when nothing was read.
    std::optional<std::int64_t> read(std::uint64_t position, std::size_t maxBytes,
                                     std::vector<std::uint8_t> &out) const;
    // First record whose timestamp is >= ts, or nullopt.
    std::optional<TimestampHit> offsetForTimestamp(std::int64_t ts) const;
    void sealTimeIndex(); // on roll: records the final max timestamp
    void flush();
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
    int m_logFd = -1;
    int m_indexFd = -1;
    int m_timeFd = -1;
    std::vector<IndexEntry> m_index;
    std::vector<TimeEntry> m_timeIndex;
};

std::string segmentFileName(std::int64_t base, const char *suffix);

} // namespace periscope::broker
