#include "browser/jsonexprnode.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <optional>
#include <vector>

namespace periscope::models {

namespace {

using Node = JsonExpr::Node;

// What a message offers to paths, decoded once per evaluation.
struct Context
{
    const client::MessageBatch &batch;
    qsizetype i;
    std::optional<QJsonValue> key, value;

    static QJsonValue decode(const QByteArray &bytes)
    {
        if (bytes.isNull())
            return QJsonValue(QJsonValue::Null);
        QJsonParseError error;
        const QByteArray wrapped = "[" + bytes + "]"; // scalars too: 42, "x", true
        const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &error);
        if (error.error == QJsonParseError::NoError && doc.array().size() == 1)
            return doc.array().first();
        return QString::fromUtf8(bytes);
    }
};

QJsonValue walk(QJsonValue v, const std::vector<QJsonValue> &steps)
{
    for (const QJsonValue &step : steps) {
        if (step.isString() && v.isObject())
            v = v.toObject().value(step.toString());
        else if (step.isDouble() && v.isArray())
            v = v.toArray().at(int(step.toDouble()));
        else
            return QJsonValue(QJsonValue::Undefined);
    }
    return v;
}

QJsonValue resolve(const Node &n, Context &c)
{
    const client::MessageRecord &r = c.batch.record(c.i);
    if (n.root == QLatin1String("partition"))
        return walk(double(r.partition), n.steps);
    if (n.root == QLatin1String("offset"))
        return walk(double(r.offset), n.steps);
    if (n.root == QLatin1String("timestamp"))
        return r.timestamp < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(double(r.timestamp));
    if (n.root == QLatin1String("headers")) {
        if (n.steps.empty() || !n.steps.front().isString())
            return QJsonValue(QJsonValue::Undefined);
        const QByteArray name = n.steps.front().toString().toUtf8();
        for (const client::MessageHeader &h : c.batch.headers(c.i))
            if (h.name == name)
                return h.isNull ? QJsonValue(QJsonValue::Null)
                                : QJsonValue(QString::fromUtf8(h.value));
        return QJsonValue(QJsonValue::Undefined);
    }
    std::optional<QJsonValue> &slot = n.root == QLatin1String("key") ? c.key : c.value;
    if (!slot)
        slot =
            Context::decode(n.root == QLatin1String("key") ? c.batch.key(c.i) : c.batch.value(c.i));
    return walk(*slot, n.steps);
}

QJsonValue evaluate(const Node &n, Context &c);

bool truthy(const QJsonValue &v)
{
    return v.isBool() ? v.toBool() : !(v.isNull() || v.isUndefined());
}

bool compare(const Node &n, Context &c)
{
    // A missing field counts as null: equal to null, unequal to anything else, never
    // ordered.
    auto defined = [](QJsonValue v) { return v.isUndefined() ? QJsonValue(QJsonValue::Null) : v; };
    const QJsonValue a = defined(evaluate(*n.left, c));
    const QJsonValue b = defined(evaluate(*n.right, c));
    switch (n.op) {
    case Node::Op::Eq:
        return a == b ||
               (a.isDouble() && b.isString() && QString::number(a.toDouble()) == b.toString());
    case Node::Op::Ne:
        return !(a == b);
    case Node::Op::Contains:
        return a.isString() && b.isString() && a.toString().contains(b.toString());
    case Node::Op::Matches:
        return a.isString() && n.regex && n.regex->match(a.toString()).hasMatch();
    default:
        break;
    }
    // Ordering: numbers with numbers, text with text.
    int order = 0;
    if (a.isDouble() && b.isDouble())
        order = a.toDouble() < b.toDouble() ? -1 : a.toDouble() > b.toDouble() ? 1 : 0;
    else if (a.isString() && b.isString())
        order = QString::compare(a.toString(), b.toString());
    else
        return false;
    switch (n.op) {
    case Node::Op::Lt:
        return order < 0;
    case Node::Op::Le:
        return order <= 0;
    case Node::Op::Gt:
        return order > 0;
    case Node::Op::Ge:
        return order >= 0;
    default:
        return false;
    }
}

QJsonValue evaluate(const Node &n, Context &c)
{
    switch (n.kind) {
    case Node::Kind::Or:
        return truthy(evaluate(*n.left, c)) || truthy(evaluate(*n.right, c));
    case Node::Kind::And:
        return truthy(evaluate(*n.left, c)) && truthy(evaluate(*n.right, c));
    case Node::Kind::Not:
        return !truthy(evaluate(*n.left, c));
    case Node::Kind::Compare:
        return compare(n, c);
    case Node::Kind::Path:
        return resolve(n, c);
    case Node::Kind::Literal:
        return n.literal;
    }
    return {};
}

} // namespace

JsonExpr::JsonExpr(std::unique_ptr<Node> root)
    : m_root(std::move(root))
{}

JsonExpr::~JsonExpr() = default;

bool JsonExpr::matches(const client::MessageBatch &batch, qsizetype i) const
{
    Context c{batch, i, std::nullopt, std::nullopt};
    return truthy(evaluate(*m_root, c));
}

} // namespace periscope::models
