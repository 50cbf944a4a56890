#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace periscope::broker {

// Thrown when a request cannot be decoded; the server closes that connection.
class WireError final : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

using Uuid = std::array<std::uint8_t, 16>;

// Reads Kafka's big-endian primitives. In flexible versions strings, byte strings and
// arrays use the compact encoding (unsigned varint of length + 1) and every struct ends
// in a tagged-field section.
class ByteReader final
{
public:
    ByteReader(const std::uint8_t *data, std::size_t size, bool flexible = false)
        : m_p(data)
        , m_end(data + size)
        , m_flexible(flexible)
    {}

    void setFlexible(bool flexible) { m_flexible = flexible; }
    bool flexible() const { return m_flexible; }
    std::size_t remaining() const { return static_cast<std::size_t>(m_end - m_p); }
    const std::uint8_t *position() const { return m_p; }

    std::int8_t i8() { return static_cast<std::int8_t>(*take(1)); }
    bool boolean() { return i8() != 0; }
    std::int16_t i16() { return static_cast<std::int16_t>(fixed<std::uint16_t>()); }
    std::int32_t i32() { return static_cast<std::int32_t>(fixed<std::uint32_t>()); }
    std::uint32_t u32() { return fixed<std::uint32_t>(); }
    std::int64_t i64() { return static_cast<std::int64_t>(fixed<std::uint64_t>()); }
    Uuid uuid();

    std::uint64_t uvarint();
    std::int64_t varlong(); // zigzag
    std::int32_t varint() { return static_cast<std::int32_t>(varlong()); }

    std::string str();
    std::optional<std::string> nullableStr();
    // A byte string or records field; nullopt when null. The view points into the buffer.
    std::optional<std::string_view> nullableBytes();
    std::string_view bytes();
    // An array length; -1 means null.
    std::int32_t arrayLength();
    void skipTags();
    void skip(std::size_t n) { take(n); }

private:
    const std::uint8_t *take(std::size_t n)
    {
        if (static_cast<std::size_t>(m_end - m_p) < n)
            throw WireError("request truncated");
        const auto *p = m_p;
        m_p += n;
        return p;
    }
    template <typename T>
    T fixed()
    {
        const auto *p = take(sizeof(T));
        T v = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i)
            v = static_cast<T>((v << 8) | p[i]);
        return v;
    }
    std::int64_t length();        // -1 for null
    std::int64_t compactLength(); // flexible versions: -1 for null

    const std::uint8_t *m_p;
    const std::uint8_t *m_end;
    bool m_flexible;
};

// Appends Kafka primitives to a growing buffer (same encoding rules as ByteReader).
class ByteWriter final
{
public:
    explicit ByteWriter(bool flexible = false)
        : m_flexible(flexible)
    {}

    void setFlexible(bool flexible) { m_flexible = flexible; }
    bool flexible() const { return m_flexible; }
    std::vector<std::uint8_t> &buffer() { return m_buf; }
    const std::vector<std::uint8_t> &buffer() const { return m_buf; }
    std::size_t size() const { return m_buf.size(); }

    void i8(std::int8_t v) { m_buf.push_back(static_cast<std::uint8_t>(v)); }
    void boolean(bool v) { i8(v ? 1 : 0); }
    void i16(std::int16_t v) { fixed(static_cast<std::uint16_t>(v)); }
    void i32(std::int32_t v) { fixed(static_cast<std::uint32_t>(v)); }
    void u32(std::uint32_t v) { fixed(v); }
    void i64(std::int64_t v) { fixed(static_cast<std::uint64_t>(v)); }
    void uuid(const Uuid &u) { raw(u.data(), u.size()); }
    void uvarint(std::uint64_t v);
    void varlong(std::int64_t v); // zigzag
    void varint(std::int32_t v) { varlong(v); }

    void str(std::string_view s);
    void nullableStr(const std::optional<std::string> &s);
    void nullStr();
    void bytes(std::string_view b);
    void nullBytes();
    void arrayLength(std::size_t n);
    void nullArray();
    void tags() // an empty tagged-field section
    {
        if (m_flexible)
            m_buf.push_back(0);
    }
    void raw(const void *data, std::size_t n)
    {
        const auto *p = static_cast<const std::uint8_t *>(data);
        m_buf.insert(m_buf.end(), p, p + n);
    }

    // Reserve four bytes now, fill them with a big-endian int32 later.
    std::size_t placeholder32()
    {
        m_buf.resize(m_buf.size() + 4);
        return m_buf.size() - 4;
    }
    void patch32(std::size_t at, std::int32_t v)
    {
        auto u = static_cast<std::uint32_t>(v);
        for (int i = 3; i >= 0; --i, u >>= 8)
            m_buf[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(u);
    }

private:
    template <typename T>
    void fixed(T v)
    {
        std::uint8_t b[sizeof(T)];
        for (int i = static_cast<int>(sizeof(T)) - 1; i >= 0; --i, v = static_cast<T>(v >> 8))
            b[i] = static_cast<std::uint8_t>(v);
        raw(b, sizeof(T));
    }

    std::vector<std::uint8_t> m_buf;
    bool m_flexible;
};

// Big-endian loads and stores on raw memory (record batch headers, index files).
inline std::uint32_t loadU32(const std::uint8_t *p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           std::uint32_t(p[3]);
}
inline std::int32_t loadI32(const std::uint8_t *p)
{
    return static_cast<std::int32_t>(loadU32(p));
}
inline std::int16_t loadI16(const std::uint8_t *p)
{
    return static_cast<std::int16_t>((std::uint16_t(p[0]) << 8) | p[1]);
}
inline std::int64_t loadI64(const std::uint8_t *p)
{
    return static_cast<std::int64_t>((std::uint64_t(loadU32(p)) << 32) | loadU32(p + 4));
}
inline void storeU32(std::uint8_t *p, std::uint32_t v)
{
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}
inline void storeI32(std::uint8_t *p, std::int32_t v)
{
    storeU32(p, static_cast<std::uint32_t>(v));
}
inline void storeI16(std::uint8_t *p, std::int16_t v)
{
    p[0] = static_cast<std::uint8_t>(static_cast<std::uint16_t>(v) >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
inline void storeI64(std::uint8_t *p, std::int64_t v)
{
    storeU32(p, static_cast<std::uint32_t>(static_cast<std::uint64_t>(v) >> 32));
    storeU32(p + 4, static_cast<std::uint32_t>(v));
}

} // namespace periscope::broker
