#include "offsetstore.h"

#include "wire/wire.h"

namespace periscope::broker {

namespace {
constexpr std::int16_t kOffsetKeyVersion = 1;
constexpr std::int16_t kOffsetValueVersion = 3;

std::string toString(const ByteWriter &w)
{
    return std::string(w.buffer().begin(), w.buffer().end());
}
} // namespace

std::string OffsetStore::encodeKey(const std::string &group, const std::string &topic,
                                   std::int32_t partition)
{
    ByteWriter w;
    w.i16(kOffsetKeyVersion);
    w.str(group);
    w.str(topic);
    w.i32(partition);
    return toString(w);
}

std::string OffsetStore::encodeValue(const CommittedOffset &o)
{
    ByteWriter w;
    w.i16(kOffsetValueVersion);
    w.i64(o.offset);
    w.i32(o.leaderEpoch);
    w.str(o.metadata);
    w.i64(o.commitTimestamp);
    return toString(w);
}

const OffsetStore::GroupOffsets *OffsetStore::find(const std::string &group) const
{
    auto it = m_offsets.find(group);
    return it == m_offsets.end() ? nullptr : &it->second;
}

std::optional<CommittedOffset> OffsetStore::get(const std::string &group, const std::string &topic,
                                                std::int32_t partition) const
{
    const GroupOffsets *g = find(group);
    if (!g)
        return std::nullopt;
    auto it = g->find({topic, partition});
    if (it == g->end())
        return std::nullopt;
    return it->second;
}

std::vector<NewRecord>
OffsetStore::commit(const std::string &group,
                    const std::vector<std::pair<TopicPartitionKey, CommittedOffset>> &offsets)
{
    std::vector<NewRecord> records;
    auto &g = m_offsets[group];
    for (const auto &[tp, o] : offsets) {
        g[tp] = o;
        records.push_back({encodeKey(group, tp.first, tp.second), encodeValue(o)});
    }
    return records;
}

std::vector<NewRecord> OffsetStore::remove(const std::string &group,
                                           const std::vector<TopicPartitionKey> &which)
{
    std::vector<NewRecord> records;
    auto it = m_offsets.find(group);
    if (it == m_offsets.end())
        return records;
    for (const auto &tp : which)
        if (it->second.erase(tp))
            records.push_back({encodeKey(group, tp.first, tp.second), std::nullopt});
    if (it->second.empty())
        m_offsets.erase(it);
    return records;
}

std::vector<NewRecord> OffsetStore::removeGroup(const std::string &group)
{
    std::vector<TopicPartitionKey> all;
    if (const GroupOffsets *g = find(group))
        for (const auto &[tp, o] : *g)
            all.push_back(tp);
    return remove(group, all);
}

std::vector<NewRecord> OffsetStore::removeTopic(const std::string &topic)
{
    std::vector<NewRecord> records;
    std::vector<std::string> groups;
    for (const auto &[group, offsets] : m_offsets)
        groups.push_back(group);
    for (const auto &group : groups) {
        std::vector<TopicPartitionKey> which;
        for (const auto &[tp, o] : m_offsets[group])
            if (tp.first == topic)
                which.push_back(tp);
        auto more = remove(group, which);
        records.insert(records.end(), more.begin(), more.end());
    }
    return records;
}

void OffsetStore::replay(const Record &record)
{
    if (!record.key)
        return;
    try {
        ByteReader key(reinterpret_cast<const std::uint8_t *>(record.key->data()),
                       record.key->size());
        const std::int16_t version = key.i16();
        if (version != 0 && version != 1)
            return; // group metadata records are not offsets
        const std::string group = key.str();
        const std::string topic = key.str();
        const std::int32_t partition = key.i32();
        if (!record.value) {
            remove(group, {{topic, partition}});
            return;
        }
        ByteReader value(reinterpret_cast<const std::uint8_t *>(record.value->data()),
                         record.value->size());
        const std::int16_t vv = value.i16();
        CommittedOffset o;
        o.offset = value.i64();
        if (vv >= 3)
            o.leaderEpoch = value.i32();
        o.metadata = value.str();
        o.commitTimestamp = value.i64();
        m_offsets[group][{topic, partition}] = o;
    } catch (const WireError &) {
        // An unreadable record is skipped, not fatal: the rest of the log still counts.
    }
}

} // namespace periscope::broker
