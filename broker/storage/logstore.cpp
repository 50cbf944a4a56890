#include "logstore.h"

#include "fileio.h"

#include <random>
#include <spdlog/spdlog.h>
#include <sstream>

namespace periscope::broker {

namespace {
constexpr const char *kTopicFile = "topic.properties";
constexpr int kMaxPartitions = 100000;

Uuid randomUuid()
{
    static std::mt19937_64 rng(std::random_device{}());
    Uuid u;
    for (auto &b : u)
        b = static_cast<std::uint8_t>(rng());
    u[6] = static_cast<std::uint8_t>((u[6] & 0x0f) | 0x40);
    u[8] = static_cast<std::uint8_t>((u[8] & 0x3f) | 0x80);
    return u;
}

std::string hex(const Uuid &u)
{
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (auto b : u) {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s;
}

Uuid fromHex(const std::string &s)
{
    Uuid u{};
    auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    for (std::size_t i = 0; i < u.size() && 2 * i + 1 < s.size(); ++i)
        u[i] = static_cast<std::uint8_t>(nibble(s[2 * i]) << 4 | nibble(s[2 * i + 1]));
    return u;
}
} // namespace

LogStore::LogStore(std::filesystem::path dataDir, LogConfig defaults)
    : m_dir(std::move(dataDir))
    , m_defaults(defaults)
{}

std::filesystem::path LogStore::topicDir(const std::string &name) const
{
    return m_dir / "topics" / name;
}

void LogStore::load(bool cleanShutdown)
{
    const auto root = m_dir / "topics";
    std::filesystem::create_directories(root);
    std::error_code ec;
    std::filesystem::remove_all(m_dir / "deleted", ec); // finish deletions a crash interrupted
    for (const auto &entry : std::filesystem::directory_iterator(root)) {
        if (!entry.is_directory())
            continue;
        if (auto topic = loadTopic(entry.path(), !cleanShutdown)) {
            const std::string name = topic->name;
            m_topics[name] = std::move(topic);
        }
    }
}

std::unique_ptr<Topic> LogStore::loadTopic(const std::filesystem::path &dir, bool verifyTail)
{
    std::istringstream in(readSmallFile(dir / kTopicFile));
    auto topic = std::make_unique<Topic>();
    topic->name = dir.filename().string();
    int partitions = -1;
    for (std::string line; std::getline(in, line);) {
        const auto eq = line.find('=');
        if (eq == std::string::npos)
            continue;
        const std::string key = line.substr(0, eq);
        const std::string value = line.substr(eq + 1);
        if (key == "id")
            topic->id = fromHex(value);
        else if (key == "partitions")
            partitions = std::stoi(value);
        else if (key == "internal")
            topic->internal = value == "true";
        else if (key.rfind("config.", 0) == 0)
            topic->configs[key.substr(7)] = value;
    }
    if (partitions < 0) {
        spdlog::warn("ignoring {}: no readable {}", dir.string(), kTopicFile);
        return nullptr;
    }
    topic->logConfig = LogConfig::from(topic->configs, m_defaults);
    for (int p = 0; p < partitions; ++p) {
        auto log = std::make_unique<PartitionLog>(dir / std::to_string(p));
        log->load(verifyTail);
        if (log->truncatedBytes() > 0)
            spdlog::warn("{}-{}: cut {} bytes of torn tail", topic->name, p, log->truncatedBytes());
        topic->partitions.push_back(std::move(log));
    }
    return topic;
}

void LogStore::persist(const Topic &topic) const
{
    std::ostringstream out;
    out << "id=" << hex(topic.id) << "\npartitions=" << topic.partitions.size()
        << "\ninternal=" << (topic.internal ? "true" : "false") << '\n';
    for (const auto &[k, v] : topic.configs)
        out << "config." << k << '=' << v << '\n';
    writeFileAtomically(topicDir(topic.name) / kTopicFile, out.str());
}

Topic *LogStore::find(const std::string &name)
{
    auto it = m_topics.find(name);
    return it == m_topics.end() ? nullptr : it->second.get();
}

std::optional<std::string> LogStore::validateTopicName(const std::string &name)
{
    if (name.empty())
        return "Topic name is illegal, it can't be empty";
    if (name == "." || name == "..")
        return "Topic name cannot be \".\" or \"..\"";
    if (name.size() > 249)
        return "Topic name is illegal, it can't be longer than 249 characters";
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok)
            return "Topic name \"" + name +
                   "\" is illegal, it contains a character other than ASCII alphanumerics, '.', "
                   "'_' and '-'";
    }
    return std::nullopt;
}

std::optional<std::string> LogStore::validateConfigs(const ConfigMap &configs)
{
    for (const auto &[k, v] : configs)
        if (auto problem = validateTopicConfig(k, v))
            return problem;
    return std::nullopt;
}

StoreResult LogStore::createTopic(const std::string &name, int partitions, int replicationFactor,
                                  const ConfigMap &configs, bool validateOnly, bool internal)
{
    if (auto problem = validateTopicName(name))
        return {Error::InvalidTopic, *problem};
    if (m_topics.count(name))
        return {Error::TopicAlreadyExists, "Topic '" + name + "' already exists."};
    if (partitions <= 0 || partitions > kMaxPartitions)
        return {Error::InvalidPartitions, "Number of partitions must be between 1 and 100000."};
    if (replicationFactor != 1)
        return {Error::InvalidReplicationFactor,
                "Replication factor: " + std::to_string(replicationFactor) +
                    " larger than available brokers: 1."};
    if (auto problem = validateConfigs(configs))
        return {Error::InvalidConfig, *problem};
    if (validateOnly)
        return {};
    auto topic = std::make_unique<Topic>();
    topic->name = name;
    topic->id = randomUuid();
    topic->internal = internal;
    topic->configs = configs;
    topic->logConfig = LogConfig::from(configs, m_defaults);
    std::filesystem::create_directories(topicDir(name));
    for (int p = 0; p < partitions; ++p) {
        auto log = std::make_unique<PartitionLog>(topicDir(name) / std::to_string(p));
        log->load(false);
        topic->partitions.push_back(std::move(log));
    }
    persist(*topic);
    syncDirectory(topicDir(name).parent_path());
    m_topics[name] = std::move(topic);
    return {};
}

StoreResult LogStore::deleteTopic(const std::string &name)
{
    auto it = m_topics.find(name);
    if (it == m_topics.end())
        return {Error::UnknownTopicOrPartition, "This server does not host this topic-partition."};
    if (it->second->internal)
        return {Error::InvalidTopic, "Internal topic " + name + " cannot be deleted."};
    // Rename first so that a crash half-way never leaves a half-deleted topic behind.
    const auto trash = m_dir / "deleted" / (name + "." + hex(it->second->id));
    std::filesystem::create_directories(trash.parent_path());
    it->second->partitions.clear();
    std::filesystem::rename(topicDir(name), trash);
    m_topics.erase(it);
    std::error_code ec;
    std::filesystem::remove_all(trash, ec);
    return {};
}

StoreResult LogStore::createPartitions(const std::string &name, int total, bool validateOnly)
{
    Topic *topic = find(name);
    if (!topic)
        return {Error::UnknownTopicOrPartition, "Topic '" + name + "' does not exist."};
    const int current = static_cast<int>(topic->partitions.size());
    if (total <= current)
        return {Error::InvalidPartitions, "Topic currently has " + std::to_string(current) +
                                              " partitions, which is higher than the requested " +
                                              std::to_string(total) + "."};
    // Groups are placed on partitions of the offsets topic by a hash of their id modulo
    // the partition count: more partitions would move groups away from their offsets.
    if (topic->internal)
        return {Error::InvalidTopic,
                "The partitions of internal topic " + name + " cannot be changed."};
    if (total > kMaxPartitions)
        return {Error::InvalidPartitions, "Number of partitions must be at most 100000."};
    if (validateOnly)
        return {};
    for (int p = current; p < total; ++p) {
        auto log = std::make_unique<PartitionLog>(topicDir(name) / std::to_string(p));
        log->load(false);
        topic->partitions.push_back(std::move(log));
    }
    persist(*topic);
    return {};
}

StoreResult LogStore::setConfigs(const std::string &name, const ConfigMap &configs,
                                 bool validateOnly)
{
    Topic *topic = find(name);
    if (!topic)
        return {Error::UnknownTopicOrPartition, "Topic '" + name + "' does not exist."};
    if (auto problem = validateConfigs(configs))
        return {Error::InvalidConfig, *problem};
    if (topic->internal && LogConfig::from(configs).deleteRetention)
        return {Error::InvalidConfig, "Internal topic " + name +
                                          " keeps cleanup.policy=compact: retention would "
                                          "delete committed offsets."};
    if (validateOnly)
        return {};
    topic->configs = configs;
    topic->logConfig = LogConfig::from(configs, m_defaults);
    persist(*topic);
    return {};
}

void LogStore::applyRetention(std::int64_t nowMs)
{
    for (auto &[name, topic] : m_topics)
        for (std::size_t p = 0; p < topic->partitions.size(); ++p)
            if (int n = topic->partitions[p]->applyRetention(topic->logConfig, nowMs))
                spdlog::info("{}-{}: retention removed {} segment(s)", name, p, n);
}

bool LogStore::flush()
{
    bool ok = true;
    for (auto &[name, topic] : m_topics)
        for (auto &log : topic->partitions)
            ok = log->flush() && ok;
    return ok;
}

void LogStore::flushDue(std::int64_t monotonicMs)
{
    for (auto &[name, topic] : m_topics) {
        if (topic->logConfig.flushMs == INT64_MAX)
            continue;
        for (auto &log : topic->partitions)
            log->flushIfDue(topic->logConfig, monotonicMs);
    }
}

std::uint64_t LogStore::truncatedBytes() const
{
    std::uint64_t total = 0;
    for (const auto &[name, topic] : m_topics)
        for (const auto &log : topic->partitions)
            total += log->truncatedBytes();
    return total;
}

} // namespace periscope::broker
