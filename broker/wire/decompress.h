#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace periscope::broker {

// The most the records of one compressed batch may expand to. Kafka streams them and has no
// such bound; here it keeps a small "bomb" from costing gigabytes and seconds. Producers stay
// far below it: librdkafka's batch.size (1 MB by default) counts records before compression.
inline constexpr std::size_t kMaxDecompressedBatchBytes = std::size_t(64) << 20;

enum class Decompressed {
    Ok,
    Corrupt,  // not a valid stream of the codec, or cut short, or followed by other bytes
    TooLarge, // would expand past the limit
};

// Decompresses the records section of a batch compressed with Kafka's codec number (1 gzip,
// 2 snappy, 3 lz4, 4 zstd) into out, which holds exactly the result on Ok. Never holds more
// than limit + 1 bytes, and grows geometrically.
Decompressed decompress(int codec, const std::uint8_t *data, std::size_t size,
                        std::vector<std::uint8_t> &out,
                        std::size_t limit = kMaxDecompressedBatchBytes);

} // namespace periscope::broker
