#include "demorecords.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <bit>

namespace periscope::client::demo {

namespace {

std::string isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate).toStdString();
}

template <typename T, std::size_t N>
const T &pick(const T (&items)[N], QRandomGenerator &rng)
{
    return items[rng.bounded(int(N))];
}

Record order(int index, qint64 timestamp, QRandomGenerator &rng)
{
    static const char *const regions[] = {"eu-1", "eu-2", "us-east-1", "us-west-2", "ap-south-1"};
    static const char *const skus[] = {"A-1", "A-7", "B-2", "C-4", "D-9", "E-3", "F-5"};
    Record r;
    const std::string customer = "c-" + std::to_string(rng.bounded(1, 400));
    std::string items;
    double total = 0;
    for (int n = rng.bounded(1, 4); n > 0; --n) {
        const int qty = rng.bounded(1, 6);
        total += qty * (rng.bounded(50, 2000) / 20.0);
        items += (items.empty() ? "" : ",") + std::string(R"({"sku":")") + pick(skus, rng) +
                 R"(","qty":)" + std::to_string(qty) + "}";
    }
    r.value = R"({"id":)" + std::to_string(index + 1) + R"(,"customer":")" + customer +
              R"(","region":")" + pick(regions, rng) + R"(","total":)" +
              QString::number(total, 'f', 2).toStdString() + R"(,"items":[)" + items +
              R"(],"created":")" + isoTime(timestamp) + "\"}";
    r.key = customer;
    const quint64 trace[2] = {QRandomGenerator::global()->generate64(),
                              QRandomGenerator::global()->generate64()};
    r.headers = {
        {"source", rng.bounded(3) == 0 ? "mobile" : "web"},
        {"trace-id",
         QByteArray(reinterpret_cast<const char *>(trace), sizeof trace).toHex().toStdString()}};
    return r;
}

Record auditLine(int index, qint64 timestamp, QRandomGenerator &rng)
{
    static const char *const users[] = {"alice", "bob", "carol", "dave", "erin", "frank"};
    static const char *const actions[] = {"logged out", "changed password", "exported orders.csv",
                                          "opened dashboard sales", "revoked api key k-7"};
    const std::string user = pick(users, rng);
    std::string what = pick(actions, rng);
    if (rng.bounded(3) == 0)
        what = "logged in from 10.0." + std::to_string(rng.bounded(4)) + "." +
               std::to_string(rng.bounded(2, 250));
    Record r;
    r.value = isoTime(timestamp) + " user " + user + " " + what;
    if (index % 7 != 3) // system-wide lines come without a key
        r.key = user;
    return r;
}

void putLittleEndian(std::string &out, quint32 v)
{
    for (int byte = 0; byte < 4; ++byte)
        out.push_back(char((v >> (8 * byte)) & 0xff));
}

Record sensorReading(int index, qint64, QRandomGenerator &rng)
{
    // struct { u32 sensor; float temperature; float humidity; }, little-endian: not UTF-8.
    const quint32 sensor = quint32(index % 24 + 1);
    Record r;
    r.key = "sensor-" + std::to_string(sensor);
    r.value.emplace();
    putLittleEndian(*r.value, sensor);
    putLittleEndian(*r.value, std::bit_cast<quint32>(15.0f + float(rng.bounded(1500)) / 100));
    putLittleEndian(*r.value, std::bit_cast<quint32>(30.0f + float(rng.bounded(4000)) / 100));
    return r;
}

Record deadLetter(int index, qint64 timestamp, QRandomGenerator &rng)
{
    static const char *const errors[] = {
        "card declined: insufficient funds", "schema validation failed: missing field currency",
        "fraud-check timed out after 3 retries", "unknown merchant m-0"};
    Record r;
    r.key = "pay-" + std::to_string(10000 + index);
    r.headers = {{"error", pick(errors, rng)},
                 {"original-topic", "payments"},
                 {"failed-at", isoTime(timestamp)}};
    if (index % 5 == 1)
        r.value = std::string(); // empty, not null
    else if (index % 5 != 3)     // 3: null
        r.value = R"({"payment":")" + *r.key + R"(","amount":)" +
                  std::to_string(rng.bounded(5, 900)) + R"(,"currency":"EUR"})";
    return r;
}

Record userRecord(int index, qint64 timestamp, QRandomGenerator &rng)
{
    static const char *const names[] = {"ada", "ben", "cleo", "dan", "eva", "finn", "gus", "hana"};
    static const char *const plans[] = {"free", "pro", "team"};
    const int id = index % 80 + 1; // about four versions of each user
    Record r;
    r.key = "user-" + std::to_string(id);
    if (index >= 240 && index % 9 == 0)
        return r; // a tombstone: the user was deleted
    const std::string name = pick(names, rng);
    r.value = R"({"id":")" + *r.key + R"(","name":")" + name + R"(","email":")" + name + "." +
              std::to_string(id) + R"(@example.com","plan":")" + pick(plans, rng) +
              R"(","version":)" + std::to_string(index / 80 + 1) + R"(,"updated":")" +
              isoTime(timestamp) + "\"}";
    return r;
}

} // namespace

const std::vector<TopicSpec> &specs()
{
    static const std::vector<TopicSpec> topics = {
        {kOrders, 6, 5000, "lz4", {{"retention.ms", "604800000"}}, order},
        {"audit-log", 3, 2000, "gzip", {{"retention.bytes", "104857600"}}, auditLine},
        {"sensor-readings", 4, 3000, "none", {}, sensorReading},
        {"payments.dlq", 1, 20, "none", {}, deadLetter},
        {"empty-topic", 1, 0, "none", {}, nullptr},
        {"compacted-users", 3, 300, "none", {{"cleanup.policy", "compact"}}, userRecord},
    };
    return topics;
}

Record sample(const TopicSpec &spec, int index, qint64 timestamp)
{
    QRandomGenerator rng(quint32(index) * 2654435761u + quint32(spec.partitions));
    Record r = spec.make(index, timestamp, rng);
    r.timestamp = timestamp;
    return r;
}

} // namespace periscope::client::demo
