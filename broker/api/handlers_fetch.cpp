// Fetch (with long polling) and ListOffsets.
#include "base/clock.h"
#include "broker.h"

#include <algorithm>

namespace periscope::broker {

using Outcome = RequestSink::Outcome;

Outcome Broker::fetch(Request &r)
{
    const auto v = r.version();
    PendingFetch f;
    f.route = r.route;
    f.version = v;
    r.in.i32(); // replica id
    const std::int32_t maxWait = r.in.i32();
    f.minBytes = r.in.i32();
    // As Kafka: the request's limit under fetch.max.bytes; a negative one leaves room for
    // the first batch only, never for everything.
    const std::int32_t asked = v >= 3 ? r.in.i32() : INT32_MAX;
    f.maxBytes = static_cast<std::size_t>(std::max(0, std::min(asked, m_options.fetchMaxBytes)));
    if (v >= 4)
        r.in.i8(); // isolation level: without transactions both levels read the same
    if (v >= 7) {
        r.in.i32(); // session id: sessions are not kept, every fetch is a full one
        r.in.i32();
    }
    const std::int32_t topicCount = r.in.arrayLength();
    for (std::int32_t t = 0; t < topicCount; ++t) {
        FetchTopic &topic = f.topics.emplace_back();
        topic.name = r.in.str();
        const std::int32_t partCount = r.in.arrayLength();
        for (std::int32_t i = 0; i < partCount; ++i) {
            FetchPartition p{};
            p.partition = r.in.i32();
            if (v >= 9)
                r.in.i32(); // current leader epoch
            p.offset = r.in.i64();
            if (v >= 5)
                r.in.i64(); // the follower's log start offset
            p.maxBytes = r.in.i32();
            topic.partitions.push_back(p);
        }
    }
    const std::int64_t now = clock::monotonicMs();
    f.deadlineMs = now + std::max(0, maxWait);
    const std::size_t start = r.out.size();
    const std::size_t bytes = writeFetchResponse(f, r.out);
    if (static_cast<std::int64_t>(bytes) >= f.minBytes || maxWait <= 0 || f.topics.empty())
        return Outcome::Respond;
    r.out.buffer().resize(start); // nothing yet: wait for data or the deadline
    m_waitingFetches.push_back(std::move(f));
    return Outcome::Defer;
}

bool Broker::hasNewData(const PendingFetch &f)
{
    for (const auto &t : f.topics) {
        Topic *topic = m_store.find(t.name);
        if (!topic)
            return true; // answer at once with the error
        for (const auto &p : t.partitions) {
            if (p.partition < 0 ||
                p.partition >= static_cast<std::int32_t>(topic->partitions.size()))
                return true;
            const auto &log = *topic->partitions[static_cast<std::size_t>(p.partition)];
            if (log.highWatermark() != p.offset)
                return true;
        }
    }
    return false;
}

void Broker::completeWaitingFetches(std::int64_t nowMs, bool force)
{
    const bool arrived = std::exchange(m_dataArrived, false);
    for (auto it = m_waitingFetches.begin(); it != m_waitingFetches.end();) {
        const bool due = force || nowMs >= it->deadlineMs;
        if (!due && !(arrived && hasNewData(*it))) {
            ++it;
            continue;
        }
        ByteWriter out = beginResponse(it->route);
        const std::size_t bytes = writeFetchResponse(*it, out);
        if (!due && static_cast<std::int64_t>(bytes) < it->minBytes) {
            ++it;
            continue;
        }
        const ResponseRoute route = it->route;
        it = m_waitingFetches.erase(it);
        if (m_server)
            m_server->respond(route, std::move(out));
    }
}

std::size_t Broker::writeFetchResponse(const PendingFetch &f, ByteWriter &out)
{
    const auto v = f.version;
    if (v >= 1)
        out.i32(0); // throttle
    if (v >= 7) {
        out.i16(0);
        out.i32(0); // session id 0: no fetch session
    }
    std::size_t total = 0;
    out.arrayLength(f.topics.size());
    for (const auto &t : f.topics) {
        Topic *topic = m_store.find(t.name);
        out.str(t.name);
        out.arrayLength(t.partitions.size());
        for (const auto &p : t.partitions) {
            PartitionLog *log = nullptr;
            if (topic && p.partition >= 0 &&
                p.partition < static_cast<std::int32_t>(topic->partitions.size()))
                log = topic->partitions[static_cast<std::size_t>(p.partition)].get();
            out.i32(p.partition);
            const std::size_t errorAt = out.size();
            out.i16(code(log ? Error::None : Error::UnknownTopicOrPartition));
            const std::int64_t hwm = log ? log->highWatermark() : -1;
            out.i64(hwm);
            if (v >= 4) {
                out.i64(hwm); // last stable offset
                if (v >= 5)
                    out.i64(log ? log->logStartOffset() : -1);
                out.arrayLength(0); // aborted transactions
            }
            if (v >= 11)
                out.i32(-1); // preferred read replica
            const std::size_t sizeAt = out.placeholder32();
            std::size_t got = 0;
            if (log) {
                // Each partition reads up to its own limit within what the response has
                // left. Only the response's first batch may be larger than that, so that a
                // consumer always gets on (Kafka's minOneMessage).
                const std::size_t room = total >= f.maxBytes ? 0 : f.maxBytes - total;
                const std::size_t limit =
                    std::min<std::size_t>(static_cast<std::size_t>(std::max(p.maxBytes, 0)), room);
                const bool first = total == 0;
                if (limit > 0 || first) {
                    const std::size_t before = out.size();
                    const Error err = log->read(p.offset, limit, out.buffer(), first);
                    got = out.size() - before;
                    if (err != Error::None)
                        storeI16(out.buffer().data() + errorAt, code(err));
                }
            }
            out.patch32(sizeAt, static_cast<std::int32_t>(got));
            total += got;
        }
    }
    return total;
}

Outcome Broker::listOffsets(Request &r)
{
    const auto v = r.version();
    r.in.i32(); // replica id
    if (v >= 2)
        r.in.i8(); // isolation level
    ByteWriter &out = r.out;
    if (v >= 2)
        out.i32(0);
    const std::int32_t topicCount = r.in.arrayLength();
    out.arrayLength(static_cast<std::size_t>(std::max(topicCount, 0)));
    for (std::int32_t t = 0; t < topicCount; ++t) {
        const std::string name = r.in.str();
        Topic *topic = m_store.find(name);
        out.str(name);
        const std::int32_t partCount = r.in.arrayLength();
        out.arrayLength(static_cast<std::size_t>(std::max(partCount, 0)));
        for (std::int32_t i = 0; i < partCount; ++i) {
            const std::int32_t partition = r.in.i32();
            const std::int64_t timestamp = r.in.i64();
            if (v == 0)
                r.in.i32(); // max number of offsets
            Error err = Error::None;
            std::int64_t offset = -1;
            std::int64_t foundTs = -1;
            if (!topic || partition < 0 ||
                partition >= static_cast<std::int32_t>(topic->partitions.size())) {
                err = Error::UnknownTopicOrPartition;
            } else {
                const PartitionLog &log = *topic->partitions[static_cast<std::size_t>(partition)];
                if (timestamp == -1) {
                    offset = log.highWatermark();
                } else if (timestamp == -2) {
                    offset = log.logStartOffset();
                } else if (timestamp == -3) {
                    offset = log.highWatermark(); // max timestamp: approximated by the end
                } else if (auto found = log.offsetForTimestamp(timestamp)) {
                    offset = found->offset;
                    foundTs = found->timestamp;
                }
            }
            out.i32(partition);
            out.i16(code(err));
            if (v == 0) {
                // Always one element: some v0 clients (Sarama) read it without checking.
                out.arrayLength(1);
                out.i64(offset);
            } else {
                out.i64(foundTs);
                out.i64(offset);
            }
        }
    }
    return Outcome::Respond;
}

} // namespace periscope::broker
