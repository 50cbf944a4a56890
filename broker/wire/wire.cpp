#include "wire.h"

namespace periscope::broker {

Uuid ByteReader::uuid()
{
    Uuid u;
    std::memcpy(u.data(), take(u.size()), u.size());
    return u;
}

std::uint64_t ByteReader::uvarint()
{
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        const std::uint8_t b = *take(1);
        v |= std::uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    throw WireError("varint too long");
}

std::int64_t ByteReader::varlong()
{
    const std::uint64_t u = uvarint();
    return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
}

std::int64_t ByteReader::compactLength()
{
    // Unsigned varint of length + 1, 0 for null. Lengths beyond int64 are hostile.
    const std::uint64_t u = uvarint();
    if (u == 0)
        return -1;
    if (u - 1 > static_cast<std::uint64_t>(INT64_MAX))
        throw WireError("length out of range");
    return static_cast<std::int64_t>(u - 1);
}

std::int64_t ByteReader::length()
{
    if (m_flexible)
        return compactLength();
    return i16();
}

std::string ByteReader::str()
{
    auto s = nullableStr();
    if (!s)
        throw WireError("null where a string is required");
    return std::move(*s);
}

std::optional<std::string> ByteReader::nullableStr()
{
    const std::int64_t n = length();
    if (n < 0)
        return std::nullopt;
    const auto *p = take(static_cast<std::size_t>(n));
    return std::string(reinterpret_cast<const char *>(p), static_cast<std::size_t>(n));
}

std::optional<std::string_view> ByteReader::nullableBytes()
{
    const std::int64_t n = m_flexible ? compactLength() : i32();
    if (n < 0)
        return std::nullopt;
    const auto *p = take(static_cast<std::size_t>(n));
    return std::string_view(reinterpret_cast<const char *>(p), static_cast<std::size_t>(n));
}

std::string_view ByteReader::bytes()
{
    auto b = nullableBytes();
    return b ? *b : std::string_view();
}

std::int32_t ByteReader::arrayLength()
{
    const std::int64_t n = m_flexible ? compactLength() : i32();
    if (n < -1 || n > static_cast<std::int64_t>(remaining()))
        throw WireError("array length out of range");
    return static_cast<std::int32_t>(n);
}

void ByteReader::skipTags()
{
    if (!m_flexible)
        return;
    const std::uint64_t count = uvarint();
    for (std::uint64_t i = 0; i < count; ++i) {
        uvarint(); // tag
        take(static_cast<std::size_t>(uvarint()));
    }
}

void ByteWriter::uvarint(std::uint64_t v)
{
    while (v >= 0x80) {
        m_buf.push_back(static_cast<std::uint8_t>(v | 0x80));
        v >>= 7;
    }
    m_buf.push_back(static_cast<std::uint8_t>(v));
}

void ByteWriter::varlong(std::int64_t v)
{
    uvarint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

void ByteWriter::str(std::string_view s)
{
    if (m_flexible)
        uvarint(s.size() + 1);
    else
        i16(static_cast<std::int16_t>(s.size()));
    raw(s.data(), s.size());
}

void ByteWriter::nullableStr(const std::optional<std::string> &s)
{
    if (s)
        str(*s);
    else
        nullStr();
}

void ByteWriter::nullStr()
{
    if (m_flexible)
        uvarint(0);
    else
        i16(-1);
}

void ByteWriter::bytes(std::string_view b)
{
    if (m_flexible)
        uvarint(b.size() + 1);
    else
        i32(static_cast<std::int32_t>(b.size()));
    raw(b.data(), b.size());
}

void ByteWriter::nullBytes()
{
    if (m_flexible)
        uvarint(0);
    else
        i32(-1);
}

void ByteWriter::arrayLength(std::size_t n)
{
    if (m_flexible)
        uvarint(n + 1);
    else
        i32(static_cast<std::int32_t>(n));
}

void ByteWriter::nullArray()
{
    if (m_flexible)
        uvarint(0);
    else
        i32(-1);
}

} // namespace periscope::broker
