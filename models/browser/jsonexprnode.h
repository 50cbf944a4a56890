#pragma once

// The parsed form of a filter expression, shared by its parser and its evaluator.

#include "browser/jsonexpr.h"

#include <QJsonValue>
#include <QRegularExpression>
#include <optional>
#include <vector>

namespace periscope::models {

struct JsonExpr::Node
{
    enum class Kind { Or, And, Not, Compare, Path, Literal };
    enum class Op { Eq, Ne, Lt, Le, Gt, Ge, Contains, Matches };
    Kind kind = Kind::Literal;
    Op op = Op::Eq;
    std::unique_ptr<Node> left, right;
    QJsonValue literal;            // Literal
    QString root;                  // Path: key, value, headers, partition, offset, timestamp
    std::vector<QJsonValue> steps; // Path: names (strings) and indexes (numbers)
    std::optional<QRegularExpression> regex; // Matches, compiled once
};

} // namespace periscope::models
