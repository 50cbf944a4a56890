#include "partitionlog.h"

#include "base/clock.h"
#include "fileio.h"

#include <algorithm>
#include <charconv>
#include <spdlog/spdlog.h>

namespace periscope::broker {

namespace {
constexpr const char *kLogStartFile = "log-start-offset";
// Relative offsets in the index are 32-bit: roll long before they could wrap.
constexpr std::int64_t kMaxOffsetsPerSegment = INT32_MAX / 2;

// Producer sequences wrap: after INT32_MAX comes 0, as in Kafka.
std::int32_t addSequence(std::int32_t sequence, std::int32_t increment)
{
    if (sequence > INT32_MAX - increment)
        return increment - (INT32_MAX - sequence) - 1;
    return sequence + increment;
}
} // namespace

PartitionLog::PartitionLog(std::filesystem::path dir)
    : m_dir(std::move(dir))
{}

PartitionLog::~PartitionLog() = default;

void PartitionLog::load(bool verifyTail)
{
    std::vector<std::int64_t> bases;
    std::error_code ec;
    if (std::filesystem::is_directory(m_dir, ec)) {
        for (const auto &entry : std::filesystem::directory_iterator(m_dir)) {
            const auto name = entry.path().filename().string();
            if (entry.path().extension() != ".log")
                continue;
            std::int64_t base = 0;
            auto [p, err] = std::from_chars(name.data(), name.data() + name.size() - 4, base);
            if (err == std::errc() && p == name.data() + name.size() - 4)
                bases.push_back(base);
        }
    }
    std::sort(bases.begin(), bases.end());
    for (std::size_t i = 0; i < bases.size(); ++i) {
        const bool last = i + 1 == bases.size();
        m_segments.push_back(Segment::open(m_dir, bases[i], last, verifyTail));
        m_truncatedBytes += m_segments.back()->truncatedBytes();
    }
    const std::string stored = readSmallFile(m_dir / kLogStartFile);
    std::int64_t start = 0;
    const bool hasStart =
        !stored.empty() &&
        std::from_chars(stored.data(), stored.data() + stored.size(), start).ec == std::errc();
    m_lastFlushMs = clock::monotonicMs();
    if (m_segments.empty()) {
        // Nothing written yet: no files until the first append, so that ten thousand
        // empty partitions cost neither inodes nor file descriptors.
        m_next = m_logStart = hasStart ? start : 0;
        m_flushedOffset = m_next;
        return;
    }
    m_next = m_segments.back()->nextOffset();
    m_flushedOffset = m_next; // what a restart finds counts as synced: the next sync covers more
    m_logStart = m_segments.front()->baseOffset();
    if (hasStart)
        m_logStart = std::clamp(start, m_logStart, m_next);
}

Segment &PartitionLog::active()
{
    if (m_segments.empty()) {
        m_newDirectory = !std::filesystem::exists(m_dir);
        std::filesystem::create_directories(m_dir);
        m_segments.push_back(Segment::create(m_dir, m_next));
    }
    return *m_segments.back();
}

void PartitionLog::roll(std::int64_t base)
{
    active().sealTimeIndex();
    active().flush();
    m_segments.push_back(Segment::create(m_dir, base));
}

Error PartitionLog::checkSequence(const BatchInfo &b, const ProducerStates &pending,
                                  std::int64_t *duplicateOffset) const
{
    if (b.producerId < 0 || b.baseSequence < 0)
        return Error::None;
    auto it = pending.find(b.producerId);
    if (it == pending.end()) {
        it = m_producers.find(b.producerId);
        if (it == m_producers.end())
            return Error::None; // unknown producer (or state lost in a restart): accept
    }
    const ProducerState &s = it->second;
    if (b.producerEpoch < s.epoch)
        return Error::InvalidProducerEpoch;
    if (b.producerEpoch > s.epoch)
        return Error::None;
    if (b.baseSequence == s.firstSeq) {
        *duplicateOffset = s.baseOffset;
        return Error::DuplicateSequenceNumber;
    }
    const std::int32_t expected = s.lastSeq == INT32_MAX ? 0 : s.lastSeq + 1;
    if (b.baseSequence != expected)
        return Error::OutOfOrderSequenceNumber;
    return Error::None;
}

PartitionLog::AppendResult PartitionLog::fail(const std::string &what)
{
    AppendResult result;
    result.error = Error::KafkaStorageError;
    result.message = what;
    return result;
}

PartitionLog::AppendResult PartitionLog::append(std::uint8_t *records,
                                                std::vector<BatchInfo> &batches,
                                                const LogConfig &config, std::int64_t nowMs)
{
    AppendResult result;
    if (m_failed)
        return fail("the log had an I/O error and takes no more writes until a restart");
    ProducerStates updates; // applied only once the batches are written
    for (const auto &b : batches) {
        if (b.totalSize > config.maxMessageBytes) {
            result.error = Error::MessageTooLarge;
            result.message = "batch of " + std::to_string(b.totalSize) +
                             " bytes is larger than max.message.bytes " +
                             std::to_string(config.maxMessageBytes);
            return result;
        }
        if (b.attributes & batch::kControlFlag) {
            result.error = Error::InvalidRecord;
            result.message = "control batches cannot be produced";
            return result;
        }
        std::int64_t dup = -1;
        const Error seq = checkSequence(b, updates, &dup);
        if (seq == Error::DuplicateSequenceNumber && batches.size() == 1) {
            result.baseOffset = dup; // a retried batch: answer as Kafka does, with its offset
            return result;
        }
        if (seq != Error::None) {
            result.error = seq;
            return result;
        }
        if (b.producerId >= 0 && b.baseSequence >= 0)
            updates[b.producerId] = {b.producerEpoch, b.baseSequence,
                                     addSequence(b.baseSequence, b.lastOffsetDelta), -1};
    }
    std::int64_t next = m_next;
    std::uint8_t *p = records;
    for (auto &b : batches) {
        b.baseOffset = next;
        setBaseOffset(p, next);
        if (config.logAppendTime) {
            setLogAppendTime(p, static_cast<std::size_t>(b.totalSize), nowMs);
            b.maxTimestamp = nowMs;
            result.logAppendTime = nowMs;
        }
        if (result.baseOffset < 0)
            result.baseOffset = next;
        if (auto u = updates.find(b.producerId); u != updates.end() && b.baseSequence >= 0)
            u->second.baseOffset = next;
        next = b.lastOffset() + 1;
        p += b.totalSize;
    }
    try {
        active(); // the first segment starts at the offset of the first batch
    } catch (const std::exception &e) {
        return fail(e.what());
    }
    const std::size_t segmentsBefore = m_segments.size();
    const Segment::Mark before = m_segments.back()->mark();
    const bool syncNow = next - m_flushedOffset >= config.flushMessages;
    try {
        writeRuns(records, batches, config);
        if (syncNow)
            syncAll();
    } catch (const std::exception &e) {
        spdlog::error("{}: append failed: {}", m_dir.string(), e.what());
        // A failed sync may have lost pages the kernel already wrote back: nothing written
        // here can be trusted to be on disk any more, so the log takes no more writes.
        m_failed = dynamic_cast<const SyncError *>(&e) != nullptr;
        try {
            while (m_segments.size() > segmentsBefore) {
                m_segments.back()->removeFiles();
                m_segments.pop_back();
            }
            m_segments.back()->rollbackTo(before);
        } catch (const std::exception &undo) {
            spdlog::error("{}: cannot undo the failed append: {}", m_dir.string(), undo.what());
            m_failed = true;
        }
        m_hintOffset = -1;
        return fail(e.what());
    }
    m_next = next;
    if (syncNow)
        m_flushedOffset = m_next;
    for (auto &[pid, state] : updates)
        m_producers[pid] = state;
    return result;
}

void PartitionLog::writeRuns(const std::uint8_t *records, const std::vector<BatchInfo> &batches,
                             const LogConfig &config)
{
    // Batch runs that fit the active segment, rolling between them.
    std::size_t from = 0;
    std::size_t bytesFrom = 0;
    while (from < batches.size()) {
        Segment &seg = active();
        std::size_t to = from;
        std::size_t bytes = 0;
        while (to < batches.size()) {
            const auto sz = static_cast<std::size_t>(batches[to].totalSize);
            const bool fits =
                seg.size() + bytes + sz <= static_cast<std::uint64_t>(config.segmentBytes) &&
                batches[to].lastOffset() - seg.baseOffset() < kMaxOffsetsPerSegment;
            if (!fits && (bytes > 0 || !seg.empty()))
                break;
            bytes += sz;
            ++to;
        }
        if (to == from) {
            roll(batches[from].baseOffset);
            continue;
        }
        std::vector<BatchInfo> run(batches.begin() + static_cast<std::ptrdiff_t>(from),
                                   batches.begin() + static_cast<std::ptrdiff_t>(to));
        seg.append(records + bytesFrom, bytes, run, config.indexIntervalBytes);
        from = to;
        bytesFrom += bytes;
    }
}

void PartitionLog::syncAll()
{
    for (auto &seg : m_segments)
        if (seg->dirty())
            seg->flush();
    if (!m_segments.empty())
        m_segments.back()->flush(); // also the index files and a new segment's name
    if (m_newDirectory) {
        syncDirectory(m_dir.parent_path());
        m_newDirectory = false;
    }
    m_lastFlushMs = clock::monotonicMs();
}

Error PartitionLog::read(std::int64_t offset, std::size_t maxBytes, std::vector<std::uint8_t> &out,
                         bool wholeFirstBatch)
{
    if (offset < m_logStart || offset > m_next)
        return Error::OffsetOutOfRange;
    if (offset == m_next)
        return Error::None;
    std::size_t si = 0;
    std::uint64_t hinted = UINT64_MAX; // a known position in segment si, from the last read
    if (offset == m_hintOffset && m_hintSegment < m_segments.size() &&
        m_segments[m_hintSegment]->nextOffset() > offset) {
        si = m_hintSegment;
        hinted = m_hintPosition;
    } else {
        auto it =
            std::upper_bound(m_segments.begin(), m_segments.end(), offset,
                             [](std::int64_t o, const auto &s) { return o < s->baseOffset(); });
        si = it == m_segments.begin() ? 0 : static_cast<std::size_t>(it - m_segments.begin()) - 1;
    }
    for (; si < m_segments.size(); ++si, hinted = UINT64_MAX) {
        const Segment &seg = *m_segments[si];
        const std::uint64_t position =
            hinted != UINT64_MAX ? hinted : seg.positionOf(offset).value_or(UINT64_MAX);
        if (position == UINT64_MAX)
            continue;
        const std::size_t before = out.size();
        auto next = seg.read(position, maxBytes, out, wholeFirstBatch);
        if (!next)
            continue;
        m_hintOffset = *next;
        m_hintPosition = position + (out.size() - before);
        m_hintSegment = si;
        return Error::None;
    }
    return Error::None;
}

std::optional<TimestampHit> PartitionLog::offsetForTimestamp(std::int64_t ts) const
{
    for (const auto &seg : m_segments) {
        if (seg->maxTimestamp() < ts)
            continue;
        if (auto found = seg->offsetForTimestamp(ts)) {
            found->offset = std::max(found->offset, m_logStart);
            return found;
        }
    }
    return std::nullopt;
}

std::int64_t PartitionLog::maxTimestamp() const
{
    std::int64_t ts = -1;
    for (const auto &seg : m_segments)
        ts = std::max(ts, seg->maxTimestamp());
    return ts;
}

void PartitionLog::dropSegmentsBelow(std::int64_t offset)
{
    // Never the active segment: it carries the log end offset across restarts.
    while (m_segments.size() > 1 && m_segments.front()->nextOffset() <= offset) {
        m_segments.front()->removeFiles();
        m_segments.erase(m_segments.begin());
    }
    m_hintOffset = -1;
}

void PartitionLog::persistLogStart()
{
    std::filesystem::create_directories(m_dir);
    writeFileAtomically(m_dir / kLogStartFile, std::to_string(m_logStart));
}

Error PartitionLog::deleteRecordsBefore(std::int64_t offset)
{
    if (offset == -1)
        offset = m_next;
    if (offset < 0 || offset > m_next)
        return Error::OffsetOutOfRange;
    if (offset <= m_logStart)
        return Error::None;
    m_logStart = offset;
    persistLogStart();
    dropSegmentsBelow(offset);
    return Error::None;
}

int PartitionLog::applyRetention(const LogConfig &config, std::int64_t nowMs)
{
    int removed = 0;
    std::uint64_t total = sizeBytes();
    while (m_segments.size() > 1 && config.deleteRetention) {
        const Segment &oldest = *m_segments.front();
        const bool expired = config.retentionMs >= 0 && oldest.maxTimestamp() >= 0 &&
                             nowMs - oldest.maxTimestamp() > config.retentionMs;
        const bool oversized =
            config.retentionBytes >= 0 &&
            total - oldest.size() >= static_cast<std::uint64_t>(config.retentionBytes);
        if (!expired && !oversized)
            break;
        total -= oldest.size();
        const std::int64_t next = oldest.nextOffset();
        m_segments.front()->removeFiles();
        m_segments.erase(m_segments.begin());
        m_logStart = std::max(m_logStart, next);
        ++removed;
    }
    if (removed > 0) {
        m_hintOffset = -1;
        persistLogStart();
    }
    return removed;
}

std::uint64_t PartitionLog::sizeBytes() const
{
    std::uint64_t total = 0;
    for (const auto &seg : m_segments)
        total += seg->size();
    return total;
}

bool PartitionLog::flush()
{
    if (m_failed)
        return false;
    try {
        syncAll();
    } catch (const std::exception &e) {
        spdlog::error("{}: sync failed, the log takes no more writes: {}", m_dir.string(),
                      e.what());
        m_failed = true;
        return false;
    }
    m_flushedOffset = m_next;
    return true;
}

bool PartitionLog::flushIfDue(const LogConfig &config, std::int64_t monotonicMs)
{
    if (!unflushed() || m_failed || monotonicMs - m_lastFlushMs < config.flushMs)
        return true;
    return flush();
}

void PartitionLog::removeFiles()
{
    for (auto &seg : m_segments)
        seg->removeFiles();
    m_segments.clear();
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
}

} // namespace periscope::broker
