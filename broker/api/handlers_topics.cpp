// CreateTopics, DeleteTopics, CreatePartitions, DeleteRecords.
#include "broker.h"

#include <spdlog/spdlog.h>

namespace periscope::broker {

using Outcome = RequestSink::Outcome;

Outcome Broker::createTopics(Request &r)
{
    const auto v = r.version();
    struct Wanted
    {
        std::string name;
        std::int32_t partitions;
        std::int16_t replication;
        std::int32_t assignedPartitions;
        ConfigMap configs;
        bool duplicateConfig = false;
    };
    std::vector<Wanted> wanted;
    const std::int32_t n = r.in.arrayLength();
    for (std::int32_t i = 0; i < n; ++i) {
        Wanted &w = wanted.emplace_back();
        w.name = r.in.str();
        w.partitions = r.in.i32();
        w.replication = r.in.i16();
        w.assignedPartitions = std::max(r.in.arrayLength(), 0);
        for (std::int32_t a = 0; a < w.assignedPartitions; ++a) {
            r.in.i32();
            const std::int32_t brokers = r.in.arrayLength();
            for (std::int32_t b = 0; b < brokers; ++b)
                r.in.i32();
        }
        const std::int32_t configs = r.in.arrayLength();
        for (std::int32_t c = 0; c < configs; ++c) {
            std::string key = r.in.str();
            auto value = r.in.nullableStr();
            if (value)
                w.duplicateConfig |= !w.configs.emplace(std::move(key), *value).second;
        }
    }
    r.in.i32(); // timeout
    const bool validateOnly = v >= 1 && r.in.boolean();

    ByteWriter &out = r.out;
    if (v >= 2)
        out.i32(0);
    out.arrayLength(wanted.size());
    for (const auto &w : wanted) {
        StoreResult result;
        if (w.assignedPartitions > 0 && w.partitions == -1) {
            result = m_store.createTopic(w.name, w.assignedPartitions, 1, w.configs, validateOnly);
        } else if (w.duplicateConfig) {
            result = {Error::InvalidConfig, "A config was given twice."};
        } else {
            const int partitions = w.partitions == -1 ? m_options.defaultPartitions : w.partitions;
            const int replication = w.replication == -1 ? 1 : w.replication;
            result = m_store.createTopic(w.name, partitions, replication, w.configs, validateOnly);
        }
        if (result.error == Error::None && !validateOnly)
            spdlog::info("created topic {}", w.name);
        out.str(w.name);
        out.i16(code(result.error));
        if (v >= 1) {
            if (result.error == Error::None)
                out.nullStr();
            else
                out.str(result.message);
        }
    }
    return Outcome::Respond;
}

Outcome Broker::deleteTopics(Request &r)
{
    std::vector<std::string> names;
    const std::int32_t n = r.in.arrayLength();
    for (std::int32_t i = 0; i < n; ++i)
        names.push_back(r.in.str());
    r.in.i32(); // timeout
    ByteWriter &out = r.out;
    if (r.version() >= 1)
        out.i32(0);
    out.arrayLength(names.size());
    std::unordered_set<std::string> deleted;
    for (const auto &name : names) {
        const auto result = m_store.deleteTopic(name);
        if (result.error == Error::None) {
            spdlog::info("deleted topic {}", name);
            deleted.insert(name);
            m_dataArrived = true; // waiting fetches on it answer now, with the error
        }
        out.str(name);
        out.i16(code(result.error));
    }
    if (!deleted.empty())
        m_groups.topicsDeleted(deleted);
    return Outcome::Respond;
}

Outcome Broker::createPartitions(Request &r)
{
    struct Wanted
    {
        std::string name;
        std::int32_t count;
    };
    std::vector<Wanted> wanted;
    const std::int32_t n = r.in.arrayLength();
    for (std::int32_t i = 0; i < n; ++i) {
        Wanted &w = wanted.emplace_back();
        w.name = r.in.str();
        w.count = r.in.i32();
        const std::int32_t assignments = r.in.arrayLength();
        for (std::int32_t a = 0; a < assignments; ++a) {
            const std::int32_t brokers = r.in.arrayLength();
            for (std::int32_t b = 0; b < brokers; ++b)
                r.in.i32();
        }
    }
    r.in.i32(); // timeout
    const bool validateOnly = r.in.boolean();
    ByteWriter &out = r.out;
    out.i32(0);
    out.arrayLength(wanted.size());
    for (const auto &w : wanted) {
        const auto result = m_store.createPartitions(w.name, w.count, validateOnly);
        if (result.error == Error::None && !validateOnly)
            spdlog::info("topic {} now has {} partitions", w.name, w.count);
        out.str(w.name);
        out.i16(code(result.error));
        if (result.error == Error::None)
            out.nullStr();
        else
            out.str(result.message);
    }
    return Outcome::Respond;
}

Outcome Broker::deleteRecords(Request &r)
{
    ByteWriter &out = r.out;
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
            const std::int64_t offset = r.in.i64();
            Error err = Error::UnknownTopicOrPartition;
            std::int64_t low = -1;
            if (topic && topic->internal) {
                err = Error::InvalidTopic; // as Kafka: internal topics keep their records
            } else if (topic && partition >= 0 &&
                       partition < static_cast<std::int32_t>(topic->partitions.size())) {
                PartitionLog &log = *topic->partitions[static_cast<std::size_t>(partition)];
                try {
                    err = log.deleteRecordsBefore(offset);
                } catch (const std::exception &e) {
                    spdlog::error("delete records in {}-{}: {}", name, partition, e.what());
                    err = Error::KafkaStorageError;
                }
                low = log.logStartOffset();
            }
            out.i32(partition);
            out.i64(low);
            out.i16(code(err));
        }
    }
    r.in.i32(); // timeout
    return Outcome::Respond;
}

} // namespace periscope::broker
