#pragma once

// Compressed record batches for the broker's unit tests, made with the codec libraries
// themselves, each in the shape Kafka clients write.
#include "brokerbatches.h"

#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

namespace periscope::broker::testdata {

enum Codec { Gzip = 1, Snappy = 2, Lz4 = 3, Zstd = 4 };

inline const char *codecName(int codec)
{
    static const char *const names[] = {"none", "gzip", "snappy", "lz4", "zstd"};
    return names[codec];
}

inline std::string gzip(const std::string &in)
{
    z_stream z{};
    if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        qFatal("deflateInit2");
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        qFatal("deflate");
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

inline std::string rawSnappy(const std::string &in)
{
    std::string out;
    snappy::Compress(in.data(), in.size(), &out);
    return out;
}

// snappy-java's framing: magic, version 1, compatible version 1, then length-prefixed blocks.
inline std::string xerialSnappy(const std::string &in, std::size_t blockSize = 32 * 1024)
{
    std::string out("\x82SNAPPY\0\0\0\0\x01\0\0\0\x01", 16);
    for (std::size_t at = 0; at < in.size(); at += blockSize) {
        const std::string block = rawSnappy(in.substr(at, blockSize));
        const auto n = static_cast<std::uint32_t>(block.size());
        const char length[4] = {char(n >> 24), char(n >> 16), char(n >> 8), char(n)};
        out.append(length, 4);
        out += block;
    }
    return out;
}

inline std::string lz4Frame(const std::string &in)
{
    std::string out(LZ4F_compressFrameBound(in.size(), nullptr), '\0');
    const std::size_t n = LZ4F_compressFrame(out.data(), out.size(), in.data(), in.size(), nullptr);
    if (LZ4F_isError(n))
        qFatal("LZ4F_compressFrame");
    out.resize(n);
    return out;
}

// A zstd frame; withSize=false leaves the content size out of its header, as a streaming
// compressor does.
inline std::string zstdFrame(const std::string &in, bool withSize = true)
{
    ZSTD_CCtx *ctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(ctx, ZSTD_c_contentSizeFlag, withSize ? 1 : 0);
    std::string out(ZSTD_compressBound(in.size()), '\0');
    const std::size_t n = ZSTD_compress2(ctx, out.data(), out.size(), in.data(), in.size());
    ZSTD_freeCCtx(ctx);
    if (ZSTD_isError(n))
        qFatal("ZSTD_compress2");
    out.resize(n);
    return out;
}

// The usual compressed form of each codec.
inline std::string compress(int codec, const std::string &in)
{
    switch (codec) {
    case Gzip:
        return gzip(in);
    case Snappy:
        return xerialSnappy(in);
    case Lz4:
        return lz4Frame(in);
    default:
        return zstdFrame(in);
    }
}

// The records section of an uncompressed batch: what a compressed batch compresses.
inline std::string recordsOf(const std::string &batch)
{
    return batch.substr(batch::kHeaderSize);
}

// A batch with the header of header (an uncompressed batch), the codec, and the given
// (compressed) records section; Length and CRC made to fit.
inline std::string withRecords(const std::string &header, int codec, const std::string &records)
{
    std::string b = header.substr(0, batch::kHeaderSize) + records;
    auto *p = reinterpret_cast<std::uint8_t *>(b.data());
    storeI32(p + batch::kLength, static_cast<std::int32_t>(b.size() - batch::kLogOverhead));
    const auto attributes = static_cast<std::int16_t>(
        (loadI16(p + batch::kAttributes) & ~batch::kCompressionMask) | codec);
    storeI16(p + batch::kAttributes, attributes);
    resign(b);
    return b;
}

// The batch, its records compressed with the codec.
inline std::string compressed(int codec, const std::string &batch)
{
    return withRecords(batch, codec, compress(codec, recordsOf(batch)));
}

// Sets the header's record count and last offset delta; CRC made to fit.
inline std::string claiming(std::string b, std::int32_t lastOffsetDelta, std::int32_t count)
{
    auto *p = reinterpret_cast<std::uint8_t *>(b.data());
    storeI32(p + batch::kLastOffsetDelta, lastOffsetDelta);
    storeI32(p + batch::kRecordCount, count);
    resign(b);
    return b;
}

} // namespace periscope::broker::testdata
