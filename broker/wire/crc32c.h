#pragma once

#include <cstddef>
#include <cstdint>

namespace periscope::broker {

// CRC-32C (Castagnoli), the checksum of Kafka record batches v2.
// Uses the SSE4.2 instruction when the processor has it.
std::uint32_t crc32c(const void *data, std::size_t size, std::uint32_t crc = 0);

} // namespace periscope::broker
