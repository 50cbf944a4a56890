#include "decompress.h"

#include <algorithm>
#include <cstring>
#include <lz4frame.h>
#include <memory>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

namespace periscope::broker {

namespace {
// The output of a streaming decoder: room to write into, doubled as it fills, up to one byte
// past the limit so that reaching that byte means "too large".
class Sink
{
public:
    Sink(std::vector<std::uint8_t> &buf, std::size_t limit, std::size_t compressedSize)
        : m_buf(buf)
        , m_limit(limit)
    {
        m_buf.clear();
        resize(std::min(std::max(compressedSize * 4, std::size_t(64) << 10), limit + 1));
    }

    std::uint8_t *free() { return m_buf.data() + m_used; }
    std::size_t room() const { return m_buf.size() - m_used; }
    void wrote(std::size_t n) { m_used += n; }

    // Makes room for at least need more bytes; false when that would pass the limit.
    bool reserve(std::size_t need)
    {
        if (need > m_limit + 1 - m_used)
            return false;
        if (room() < need)
            resize(std::min(std::max(m_buf.size() * 2, m_used + need), m_limit + 1));
        return true;
    }
    bool grow() { return reserve(1); }

    Decompressed finish()
    {
        if (m_used > m_limit)
            return Decompressed::TooLarge;
        m_buf.resize(m_used);
        return Decompressed::Ok;
    }

private:
    // Exactly that capacity: resize alone may double it, past the limit.
    void resize(std::size_t size)
    {
        m_buf.reserve(size);
        m_buf.resize(size);
    }

    std::vector<std::uint8_t> &m_buf;
    std::size_t m_limit;
    std::size_t m_used = 0;
};

// RFC 1952, possibly several members one after the other.
Decompressed gunzip(const std::uint8_t *data, std::size_t size, Sink &out)
{
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return Decompressed::Corrupt;
    std::unique_ptr<z_stream, int (*)(z_stream *)> guard(&z, inflateEnd);
    z.next_in = const_cast<Bytef *>(data);
    // A records section is smaller than the request that carried it, itself under 2^31.
    z.avail_in = static_cast<uInt>(size);
    for (;;) {
        if (out.room() == 0 && !out.grow())
            return Decompressed::TooLarge;
        // Chunks of at most 1 GiB keep avail_out within uInt whatever the limit.
        const std::size_t chunk = std::min(out.room(), std::size_t(1) << 30);
        z.next_out = out.free();
        z.avail_out = static_cast<uInt>(chunk);
        const int rc = inflate(&z, Z_NO_FLUSH);
        out.wrote(chunk - z.avail_out);
        if (rc == Z_STREAM_END) {
            if (z.avail_in == 0)
                return out.finish();
            if (inflateReset(&z) != Z_OK)
                return Decompressed::Corrupt;
        } else if (rc == Z_BUF_ERROR && z.avail_out == 0) {
            continue; // only the output was full
        } else if (rc != Z_OK) {
            return Decompressed::Corrupt; // bad data, or input ended inside a member
        }
    }
}

// The xerial framing snappy-java writes: a 16-byte header (magic, version, compatible
// version), then blocks, each a big-endian length and raw snappy data.
constexpr char kXerialMagic[] = "\x82SNAPPY";
constexpr std::size_t kXerialHeader = 16;

Decompressed unsnappyBlock(const std::uint8_t *data, std::size_t size, Sink &out)
{
    const auto *in = reinterpret_cast<const char *>(data);
    std::size_t length = 0;
    if (!snappy::GetUncompressedLength(in, size, &length))
        return Decompressed::Corrupt;
    if (!out.reserve(length))
        return Decompressed::TooLarge;
    if (!snappy::RawUncompress(in, size, reinterpret_cast<char *>(out.free())))
        return Decompressed::Corrupt;
    out.wrote(length);
    return Decompressed::Ok;
}

Decompressed unsnappy(const std::uint8_t *data, std::size_t size, Sink &out)
{
    // Without the magic (sizeof includes its final zero byte), Kafka reads raw snappy.
    if (size < sizeof kXerialMagic || std::memcmp(data, kXerialMagic, sizeof kXerialMagic) != 0) {
        const Decompressed d = unsnappyBlock(data, size, out);
        return d == Decompressed::Ok ? out.finish() : d;
    }
    if (size < kXerialHeader)
        return Decompressed::Corrupt;
    std::size_t at = kXerialHeader;
    while (at < size) {
        if (size - at < 4)
            return Decompressed::Corrupt;
        const std::size_t length = std::size_t(data[at]) << 24 | std::size_t(data[at + 1]) << 16 |
                                   std::size_t(data[at + 2]) << 8 | std::size_t(data[at + 3]);
        at += 4;
        if (length > size - at)
            return Decompressed::Corrupt;
        const Decompressed d = unsnappyBlock(data + at, length, out);
        if (d != Decompressed::Ok)
            return d;
        at += length;
    }
    return out.finish();
}

// LZ4 frames (not the legacy format), possibly several.
Decompressed unlz4(const std::uint8_t *data, std::size_t size, Sink &out)
{
    LZ4F_dctx *ctx = nullptr;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION)))
        return Decompressed::Corrupt;
    std::unique_ptr<LZ4F_dctx, LZ4F_errorCode_t (*)(LZ4F_dctx *)> guard(
        ctx, LZ4F_freeDecompressionContext);
    std::size_t at = 0;
    for (;;) {
        if (out.room() == 0 && !out.grow())
            return Decompressed::TooLarge;
        std::size_t written = out.room();
        std::size_t read = size - at;
        const std::size_t hint =
            LZ4F_decompress(ctx, out.free(), &written, data + at, &read, nullptr);
        if (LZ4F_isError(hint))
            return Decompressed::Corrupt;
        at += read;
        out.wrote(written);
        if (hint == 0 && at == size)
            return out.finish();
        // Given room, a decoder that neither reads nor writes waits for input that is not
        // there: the frame was cut short.
        if (read == 0 && written == 0)
            return Decompressed::Corrupt;
    }
}

// zstd frames, possibly several, with or without their content size.
Decompressed unzstd(const std::uint8_t *data, std::size_t size, Sink &out)
{
    std::unique_ptr<ZSTD_DCtx, std::size_t (*)(ZSTD_DCtx *)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
    if (!ctx)
        return Decompressed::Corrupt;
    ZSTD_inBuffer in{data, size, 0};
    for (;;) {
        if (out.room() == 0 && !out.grow())
            return Decompressed::TooLarge;
        ZSTD_outBuffer o{out.free(), out.room(), 0};
        const std::size_t readBefore = in.pos;
        const std::size_t rc = ZSTD_decompressStream(ctx.get(), &o, &in);
        if (ZSTD_isError(rc))
            return Decompressed::Corrupt;
        out.wrote(o.pos);
        if (rc == 0 && in.pos == in.size)
            return out.finish();
        if (in.pos == readBefore && o.pos == 0)
            return Decompressed::Corrupt; // as for lz4: cut short
    }
}
} // namespace

Decompressed decompress(int codec, const std::uint8_t *data, std::size_t size,
                        std::vector<std::uint8_t> &out, std::size_t limit)
{
    Sink sink(out, limit, size);
    switch (codec) {
    case 1:
        return gunzip(data, size, sink);
    case 2:
        return unsnappy(data, size, sink);
    case 3:
        return unlz4(data, size, sink);
    case 4:
        return unzstd(data, size, sink);
    default:
        return Decompressed::Corrupt;
    }
}

} // namespace periscope::broker
