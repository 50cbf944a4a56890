#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace periscope::broker {

// Thin POSIX helpers that throw std::system_error naming the file on failure.
int openFile(const std::filesystem::path &path, int flags);
void writeAll(int fd, const void *data, std::size_t size, const std::filesystem::path &path);
std::size_t readAt(int fd, void *data, std::size_t size, std::uint64_t offset);
std::uint64_t fileSize(int fd);
void closeFile(int &fd);

// Writes a small file atomically: temp file, fsync, rename.
void writeFileAtomically(const std::filesystem::path &path, const std::string &content);
std::string readSmallFile(const std::filesystem::path &path);

} // namespace periscope::broker
