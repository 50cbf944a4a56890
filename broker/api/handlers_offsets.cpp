// OffsetCommit, OffsetFetch, OffsetDelete.
#include "base/clock.h"
#include "broker.h"

namespace periscope::broker {

using Outcome = RequestSink::Outcome;

namespace {
constexpr std::size_t kMaxMetadataBytes = 4096; // offset.metadata.max.bytes
}

Outcome Broker::offsetCommit(Request &r)
{
    const auto v = r.version();
    const std::string groupId = r.in.str();
    std::int32_t generation = -1;
    std::string memberId;
    if (v >= 1) {
        generation = r.in.i32();
        memberId = r.in.str();
    }
    if (v >= 7)
        r.in.nullableStr(); // group instance id
    if (v >= 2 && v <= 4)
        r.in.i64(); // retention time
    const std::int64_t now = clock::wallMs();
    std::vector<GroupCoordinator::CommitEntry> entries;
    std::vector<std::pair<std::string, std::size_t>> topics; // name, entry count
    const std::int32_t topicCount = r.in.arrayLength();
    for (std::int32_t t = 0; t < topicCount; ++t) {
        const std::string name = r.in.str();
        Topic *topic = m_store.find(name);
        const std::int32_t partCount = r.in.arrayLength();
        topics.emplace_back(name, static_cast<std::size_t>(std::max(partCount, 0)));
        for (std::int32_t i = 0; i < partCount; ++i) {
            GroupCoordinator::CommitEntry e;
            e.tp = {name, r.in.i32()};
            e.offset.offset = r.in.i64();
            if (v >= 6)
                e.offset.leaderEpoch = r.in.i32();
            e.offset.commitTimestamp = now;
            if (v == 1) {
                const std::int64_t ts = r.in.i64();
                if (ts >= 0)
                    e.offset.commitTimestamp = ts;
            }
            e.offset.metadata = r.in.nullableStr().value_or("");
            if (!topic || e.tp.second < 0 ||
                e.tp.second >= static_cast<std::int32_t>(topic->partitions.size()))
                e.error = Error::UnknownTopicOrPartition;
            else if (e.offset.metadata.size() > kMaxMetadataBytes)
                e.error = Error::OffsetMetadataTooLarge;
            entries.push_back(std::move(e));
        }
    }
    const Error groupError = m_groups.commit(groupId, memberId, generation, entries);
    ByteWriter &out = r.out;
    if (v >= 3)
        out.i32(0);
    out.arrayLength(topics.size());
    std::size_t at = 0;
    for (const auto &[name, count] : topics) {
        out.str(name);
        out.arrayLength(count);
        for (std::size_t i = 0; i < count; ++i, ++at) {
            out.i32(entries[at].tp.second);
            const Error err = entries[at].error != Error::None ? entries[at].error : groupError;
            out.i16(code(err));
        }
    }
    return Outcome::Respond;
}

Outcome Broker::offsetFetch(Request &r)
{
    const auto v = r.version();
    const std::string groupId = r.in.str();
    std::optional<std::vector<std::pair<std::string, std::vector<std::int32_t>>>> topics;
    const std::int32_t topicCount = r.in.arrayLength();
    if (topicCount >= 0) {
        topics.emplace();
        for (std::int32_t t = 0; t < topicCount; ++t) {
            auto &[name, parts] = topics->emplace_back(r.in.str(), std::vector<std::int32_t>{});
            const std::int32_t n = r.in.arrayLength();
            for (std::int32_t i = 0; i < n; ++i)
                parts.push_back(r.in.i32());
            r.in.skipTags();
        }
    }
    if (v >= 7)
        r.in.boolean(); // require stable: nothing here is ever unstable
    r.in.skipTags();
    if (!topics) {
        // Null means every partition the group has committed.
        topics.emplace();
        if (const auto *committed = m_groups.offsets().find(groupId))
            for (const auto &[tp, o] : *committed) {
                if (topics->empty() || topics->back().first != tp.first)
                    topics->emplace_back(tp.first, std::vector<std::int32_t>{});
                topics->back().second.push_back(tp.second);
            }
    }
    ByteWriter &out = r.out;
    if (v >= 3)
        out.i32(0);
    out.arrayLength(topics->size());
    for (const auto &[name, parts] : *topics) {
        out.str(name);
        out.arrayLength(parts.size());
        for (std::int32_t p : parts) {
            const auto committed = m_groups.offsets().get(groupId, name, p);
            out.i32(p);
            out.i64(committed ? committed->offset : -1);
            if (v >= 5)
                out.i32(committed ? committed->leaderEpoch : -1);
            out.str(committed ? committed->metadata : "");
            out.i16(0);
            out.tags();
        }
        out.tags();
    }
    if (v >= 2)
        out.i16(code(groupId.empty() ? Error::InvalidGroupId : Error::None));
    out.tags();
    return Outcome::Respond;
}

Outcome Broker::offsetDelete(Request &r)
{
    const std::string groupId = r.in.str();
    std::vector<std::pair<TopicPartitionKey, Error>> which;
    std::vector<std::pair<std::string, std::size_t>> topics;
    const std::int32_t topicCount = r.in.arrayLength();
    for (std::int32_t t = 0; t < topicCount; ++t) {
        const std::string name = r.in.str();
        const Topic *topic = m_store.find(name);
        const std::int32_t n = r.in.arrayLength();
        topics.emplace_back(name, static_cast<std::size_t>(std::max(n, 0)));
        for (std::int32_t i = 0; i < n; ++i) {
            const std::int32_t p = r.in.i32();
            const bool known =
                topic && p >= 0 && p < static_cast<std::int32_t>(topic->partitions.size());
            which.push_back({{name, p}, known ? Error::None : Error::UnknownTopicOrPartition});
        }
    }
    const Error groupError = m_groups.deleteOffsets(groupId, which);
    ByteWriter &out = r.out;
    out.i16(code(groupError));
    out.i32(0);
    const bool perPartition = groupError == Error::None;
    out.arrayLength(perPartition ? topics.size() : 0);
    std::size_t at = 0;
    for (const auto &[name, count] : topics) {
        if (!perPartition)
            break;
        out.str(name);
        out.arrayLength(count);
        for (std::size_t i = 0; i < count; ++i, ++at) {
            out.i32(which[at].first.second);
            out.i16(code(which[at].second));
        }
    }
    return Outcome::Respond;
}

} // namespace periscope::broker
