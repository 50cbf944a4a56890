// What the demo topics hold: their layout and sample records, made the same way every
// time. No Kafka here; demodata.cpp writes them to a cluster.
#pragma once

#include <QtGlobal>
#include <optional>
#include <string>
#include <utility>
#include <vector>

class QRandomGenerator;

namespace periscope::client::demo {

inline constexpr qint64 kDayMs = 24 * 3600 * 1000;
inline constexpr const char *kOrders = "orders";

struct Record
{
    std::optional<std::string> key; // nullopt: a null key
    std::optional<std::string> value;
    std::vector<std::pair<std::string, std::string>> headers;
    qint64 timestamp = 0;
};

using Maker = Record (*)(int index, qint64 timestamp, QRandomGenerator &rng);

struct TopicSpec
{
    const char *name;
    int partitions;
    int count; // sample messages it should hold
    const char *compression;
    std::vector<std::pair<const char *, const char *>> configs;
    Maker make;
};

// Every demo topic, the orders topic first.
const std::vector<TopicSpec> &specs();
// Sample `index` of a topic: the same index gives the same record, bar time and trace id.
Record sample(const TopicSpec &spec, int index, qint64 timestamp);

} // namespace periscope::client::demo
