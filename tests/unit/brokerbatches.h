#pragma once

// Record batches for the broker's unit tests.
#include "storage/partitionlog.h"
#include "wire/crc32c.h"
#include "wire/recordbatch.h"
#include "wire/wire.h"

#include <QtGlobal>
#include <string>
#include <vector>

namespace periscope::broker::testdata {

inline std::string batchOf(int records, std::int64_t timestamp, int valueSize = 20)
{
    std::vector<NewRecord> recs;
    for (int i = 0; i < records; ++i)
        recs.push_back(
            {"k" + std::to_string(i), std::string(static_cast<std::size_t>(valueSize), 'v')});
    return buildBatch(recs, timestamp);
}

// Recomputes the CRC after a test changed the header.
inline void resign(std::string &b)
{
    auto *p = reinterpret_cast<std::uint8_t *>(b.data());
    storeU32(p + batch::kCrc, crc32c(p + batch::kAttributes, b.size() - batch::kAttributes));
}

inline std::string idempotent(std::string b, std::int64_t pid, std::int32_t seq)
{
    auto *p = reinterpret_cast<std::uint8_t *>(b.data());
    storeI64(p + batch::kProducerId, pid);
    storeI16(p + batch::kProducerEpoch, 0);
    storeI32(p + batch::kBaseSequence, seq);
    resign(b);
    return b;
}

inline PartitionLog::AppendResult append(PartitionLog &log, std::string bytes,
                                         const LogConfig &config = {})
{
    std::vector<BatchInfo> batches;
    if (splitBatches(bytes, batches) != BatchProblem::None)
        qFatal("test batch invalid");
    return log.append(reinterpret_cast<std::uint8_t *>(bytes.data()), batches, config, 1000);
}

inline std::vector<std::int64_t> baseOffsetsIn(const std::vector<std::uint8_t> &data)
{
    std::vector<std::int64_t> out;
    for (std::size_t at = 0; at < data.size();) {
        auto b = peekBatch(data.data() + at, data.size() - at);
        if (!b)
            break;
        out.push_back(b->baseOffset);
        at += static_cast<std::size_t>(b->totalSize);
    }
    return out;
}

} // namespace periscope::broker::testdata
