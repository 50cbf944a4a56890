#include "segment.h"

#include "fileio.h"
#include "wire/wire.h"

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace periscope::broker {

namespace {
constexpr std::size_t kIndexEntrySize = 8;
constexpr std::size_t kTimeEntrySize = 12;
} // namespace

std::string segmentFileName(std::int64_t base, const char *suffix)
{
    char name[64];
    std::snprintf(name, sizeof name, "%020lld%s", static_cast<long long>(base), suffix);
    return name;
}

Segment::Segment(std::filesystem::path dir, std::int64_t base)
    : m_dir(std::move(dir))
    , m_base(base)
    , m_next(base)
{}

Segment::~Segment()
{
    closeFile(m_logFd);
    closeFile(m_indexFd);
    closeFile(m_timeFd);
}

std::filesystem::path Segment::file(const char *suffix) const
{
    return m_dir / segmentFileName(m_base, suffix);
}

void Segment::openFiles(bool create)
{
    const int flags = O_RDWR | O_APPEND | (create ? O_CREAT | O_TRUNC : O_CREAT);
    m_logFd = openFile(file(".log"), flags);
    m_indexFd = openFile(file(".index"), flags);
    m_timeFd = openFile(file(".timeindex"), flags);
}

std::unique_ptr<Segment> Segment::create(const std::filesystem::path &dir, std::int64_t base)
{
    std::unique_ptr<Segment> s(new Segment(dir, base));
    s->openFiles(true);
    s->m_nameSynced = false;
    return s;
}

std::unique_ptr<Segment> Segment::open(const std::filesystem::path &dir, std::int64_t base,
                                       bool isLast, bool verifyTail)
{
    std::unique_ptr<Segment> s(new Segment(dir, base));
    s->openFiles(false);
    s->m_size = fileSize(s->m_logFd);
    s->loadIndexes();
    s->recoverTail(isLast && verifyTail);
    s->m_flushedSize = s->m_size;
    return s;
}

void Segment::loadIndexes()
{
    std::vector<std::uint8_t> raw(fileSize(m_indexFd));
    raw.resize(readAt(m_indexFd, raw.data(), raw.size(), 0));
    for (std::size_t at = 0; at + kIndexEntrySize <= raw.size(); at += kIndexEntrySize) {
        const IndexEntry e{loadU32(&raw[at]), loadU32(&raw[at + 4])};
        // Entries beyond the log or out of order are leftovers of a crash: stop there.
        if (e.position >= m_size || (!m_index.empty() && e.position <= m_index.back().position))
            break;
        m_index.push_back(e);
    }
    raw.assign(fileSize(m_timeFd), 0);
    raw.resize(readAt(m_timeFd, raw.data(), raw.size(), 0));
    for (std::size_t at = 0; at + kTimeEntrySize <= raw.size(); at += kTimeEntrySize) {
        const TimeEntry e{loadI64(&raw[at]), loadU32(&raw[at + 8])};
        if (!m_timeIndex.empty() && e.timestamp <= m_timeIndex.back().timestamp)
            break;
        m_timeIndex.push_back(e);
    }
    if (!m_timeIndex.empty())
        m_maxTimestamp = m_timeIndex.back().timestamp;
}

std::optional<BatchInfo> Segment::headerAt(std::uint64_t position) const
{
    std::uint8_t header[batch::kHeaderSize];
    if (readAt(m_logFd, header, sizeof header, position) != sizeof header)
        return std::nullopt;
    return peekBatch(header, sizeof header);
}

void Segment::recoverTail(bool verify)
{
    std::uint64_t pos = m_index.empty() ? 0 : m_index.back().position;
    std::int64_t expected = m_index.empty() ? m_base : m_base + m_index.back().relativeOffset;
    std::vector<std::uint8_t> buf;
    while (pos < m_size) {
        auto b = headerAt(pos);
        // Offsets past 2^62 are garbage, whatever the checksum says.
        bool good = b && b->magic == 2 && b->baseOffset >= expected &&
                    b->baseOffset < (std::int64_t(1) << 62) && b->lastOffsetDelta >= 0 &&
                    pos + static_cast<std::uint64_t>(b->totalSize) <= m_size;
        if (good && verify) {
            buf.resize(static_cast<std::size_t>(b->totalSize));
            good = readAt(m_logFd, buf.data(), buf.size(), pos) == buf.size() &&
                   validateBatch(buf.data(), buf.size(), nullptr) == BatchProblem::None;
        }
        if (!good)
            break;
        expected = b->lastOffset() + 1;
        m_next = expected;
        m_maxTimestamp = std::max(m_maxTimestamp, b->maxTimestamp);
        pos += static_cast<std::uint64_t>(b->totalSize);
    }
    if (pos < m_size) {
        m_truncatedBytes = m_size - pos;
        truncateFile(m_logFd, pos, file(".log"));
        m_size = pos;
        while (!m_index.empty() && m_index.back().position >= pos)
            m_index.pop_back();
        truncateFile(m_indexFd, m_index.size() * kIndexEntrySize, file(".index"));
    }
    m_bytesSinceIndex = m_size - (m_index.empty() ? 0 : m_index.back().position);
}

void Segment::append(const std::uint8_t *data, std::size_t size,
                     const std::vector<BatchInfo> &batches, std::uint32_t indexInterval)
{
    // Work on copies: the segment changes only once every byte is written.
    std::vector<std::uint8_t> indexBytes;
    std::vector<std::uint8_t> timeBytes;
    std::vector<IndexEntry> newIndex;
    std::vector<TimeEntry> newTimes;
    std::int64_t next = m_next;
    std::int64_t maxTimestamp = m_maxTimestamp;
    std::uint64_t sinceIndex = m_bytesSinceIndex;
    std::int64_t lastTimeIndexed = m_timeIndex.empty() ? INT64_MIN : m_timeIndex.back().timestamp;
    std::uint64_t pos = m_size;
    for (const auto &b : batches) {
        const auto rel = static_cast<std::uint32_t>(b.baseOffset - m_base);
        if (sinceIndex >= indexInterval && pos > 0) {
            newIndex.push_back({rel, static_cast<std::uint32_t>(pos)});
            indexBytes.resize(indexBytes.size() + kIndexEntrySize);
            storeU32(&indexBytes[indexBytes.size() - 8], rel);
            storeU32(&indexBytes[indexBytes.size() - 4], static_cast<std::uint32_t>(pos));
            sinceIndex = 0;
            if (maxTimestamp >= 0 && maxTimestamp > lastTimeIndexed) {
                const auto lastRel = static_cast<std::uint32_t>(next - 1 - m_base);
                newTimes.push_back({maxTimestamp, lastRel});
                lastTimeIndexed = maxTimestamp;
                timeBytes.resize(timeBytes.size() + kTimeEntrySize);
                storeI64(&timeBytes[timeBytes.size() - 12], maxTimestamp);
                storeU32(&timeBytes[timeBytes.size() - 4], lastRel);
            }
        }
        sinceIndex += static_cast<std::uint64_t>(b.totalSize);
        pos += static_cast<std::uint64_t>(b.totalSize);
        maxTimestamp = std::max(maxTimestamp, b.maxTimestamp);
        next = b.lastOffset() + 1;
    }
    const Mark before = mark();
    try {
        // Data first, then the index entries that point into it.
        writeAll(m_logFd, data, size, file(".log"));
        if (!indexBytes.empty())
            writeAll(m_indexFd, indexBytes.data(), indexBytes.size(), file(".index"));
        if (!timeBytes.empty())
            writeAll(m_timeFd, timeBytes.data(), timeBytes.size(), file(".timeindex"));
    } catch (...) {
        rollbackTo(before); // cut what a short write left; throws itself if it cannot
        throw;
    }
    m_index.insert(m_index.end(), newIndex.begin(), newIndex.end());
    m_timeIndex.insert(m_timeIndex.end(), newTimes.begin(), newTimes.end());
    m_size += size;
    m_next = next;
    m_maxTimestamp = maxTimestamp;
    m_bytesSinceIndex = sinceIndex;
}

Segment::Mark Segment::mark() const
{
    return {m_next, m_size, m_maxTimestamp, m_bytesSinceIndex, m_index.size(), m_timeIndex.size()};
}

void Segment::rollbackTo(const Mark &mark)
{
    truncateFile(m_logFd, mark.size, file(".log"));
    truncateFile(m_indexFd, mark.indexEntries * kIndexEntrySize, file(".index"));
    truncateFile(m_timeFd, mark.timeEntries * kTimeEntrySize, file(".timeindex"));
    m_index.resize(std::min(m_index.size(), mark.indexEntries));
    m_timeIndex.resize(std::min(m_timeIndex.size(), mark.timeEntries));
    m_next = mark.next;
    m_size = mark.size;
    m_maxTimestamp = mark.maxTimestamp;
    m_bytesSinceIndex = mark.bytesSinceIndex;
    m_flushedSize = std::min(m_flushedSize, m_size);
}

void Segment::sealTimeIndex()
{
    if (m_maxTimestamp < 0 ||
        (!m_timeIndex.empty() && m_maxTimestamp <= m_timeIndex.back().timestamp))
        return;
    const auto lastRel = static_cast<std::uint32_t>(m_next - 1 - m_base);
    std::uint8_t entry[kTimeEntrySize];
    storeI64(entry, m_maxTimestamp);
    storeU32(entry + 8, lastRel);
    try {
        writeAll(m_timeFd, entry, sizeof entry, file(".timeindex"));
    } catch (...) {
        truncateFile(m_timeFd, m_timeIndex.size() * kTimeEntrySize, file(".timeindex"));
        throw;
    }
    m_timeIndex.push_back({m_maxTimestamp, lastRel});
}

std::optional<std::uint64_t> Segment::positionOf(std::int64_t offset) const
{
    if (offset >= m_next)
        return std::nullopt;
    std::uint64_t pos = 0;
    if (offset > m_base) {
        const auto rel = static_cast<std::uint32_t>(offset - m_base);
        auto it = std::upper_bound(
            m_index.begin(), m_index.end(), rel,
            [](std::uint32_t r, const IndexEntry &e) { return r < e.relativeOffset; });
        if (it != m_index.begin())
            pos = std::prev(it)->position;
    }
    while (pos < m_size) {
        auto b = headerAt(pos);
        if (!b)
            return std::nullopt;
        if (b->lastOffset() >= offset)
            return pos;
        pos += static_cast<std::uint64_t>(b->totalSize);
    }
    return std::nullopt;
}

std::optional<std::int64_t> Segment::read(std::uint64_t position, std::size_t maxBytes,
                                          std::vector<std::uint8_t> &out,
                                          bool wholeFirstBatch) const
{
    if (position >= m_size)
        return std::nullopt;
    const std::size_t start = out.size();
    std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(maxBytes, m_size - position));
    want = std::max(want, std::min<std::size_t>(batch::kHeaderSize, m_size - position));
    out.resize(start + want);
    const std::size_t got = readAt(m_logFd, out.data() + start, want, position);
    // Keep whole batches only; the first may be returned whole even when it is larger.
    std::size_t used = 0;
    std::int64_t next = -1;
    while (used + batch::kHeaderSize <= got) {
        auto b = peekBatch(out.data() + start + used, got - used);
        if (!b)
            break;
        const auto total = static_cast<std::size_t>(b->totalSize);
        if (used + total > got) {
            if (used == 0 && wholeFirstBatch && position + total <= m_size) {
                out.resize(start + total);
                if (readAt(m_logFd, out.data() + start, total, position) != total)
                    break;
                used = total;
                next = b->lastOffset() + 1;
            }
            break;
        }
        used += total;
        next = b->lastOffset() + 1;
    }
    out.resize(start + used);
    if (used == 0)
        return std::nullopt;
    return next;
}

std::optional<TimestampHit> Segment::offsetForTimestamp(std::int64_t ts) const
{
    if (m_maxTimestamp < ts || m_size == 0)
        return std::nullopt;
    std::int64_t from = m_base;
    auto it = std::lower_bound(m_timeIndex.begin(), m_timeIndex.end(), ts,
                               [](const TimeEntry &e, std::int64_t t) { return e.timestamp < t; });
    if (it != m_timeIndex.begin())
        from = m_base + std::prev(it)->relativeOffset;
    auto pos = positionOf(from);
    std::vector<std::uint8_t> buf;
    while (pos && *pos < m_size) {
        auto b = headerAt(*pos);
        if (!b)
            return std::nullopt;
        if (b->maxTimestamp >= ts) {
            buf.resize(static_cast<std::size_t>(b->totalSize));
            readAt(m_logFd, buf.data(), buf.size(), *pos);
            std::optional<TimestampHit> found;
            const bool readable = forEachRecord(buf.data(), buf.size(), [&](const Record &r) {
                if (!found && r.timestamp >= ts)
                    found = TimestampHit{r.offset, r.timestamp};
            });
            // Compressed batches are not opened: their first offset is the answer, with the
            // batch's largest timestamp, the one known to be at or after the time.
            if (!readable || !found)
                return TimestampHit{b->baseOffset, b->maxTimestamp};
            return found;
        }
        *pos += static_cast<std::uint64_t>(b->totalSize);
    }
    return std::nullopt;
}

void Segment::flush()
{
    if (m_logFd < 0)
        return;
    syncFile(m_logFd, file(".log"));
    syncFile(m_indexFd, file(".index"));
    syncFile(m_timeFd, file(".timeindex"));
    if (!m_nameSynced) {
        syncDirectory(m_dir);
        m_nameSynced = true;
    }
    m_flushedSize = m_size;
}

void Segment::removeFiles()
{
    closeFile(m_logFd);
    closeFile(m_indexFd);
    closeFile(m_timeFd);
    std::error_code ec;
    std::filesystem::remove(file(".log"), ec);
    std::filesystem::remove(file(".index"), ec);
    std::filesystem::remove(file(".timeindex"), ec);
}

} // namespace periscope::broker
