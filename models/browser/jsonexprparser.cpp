// The parser of the message filter expressions (grammar in jsonexpr.h).
#include "browser/jsonexprnode.h"

#include <QRegularExpression>
#include <vector>

namespace periscope::models {

namespace {

using Node = JsonExpr::Node;

struct Token
{
    enum class Type { Name, String, Number, Symbol, End };
    Type type = Type::End;
    QString text;
    double number = 0;
    int column = 0;
};

class Parser
{
public:
    explicit Parser(const QString &text)
        : m_text(text)
    {
        next();
    }

    std::unique_ptr<Node> parseAll()
    {
        auto root = parseOr();
        if (root && m_token.type != Token::Type::End)
            fail(QStringLiteral("unexpected \"%1\"").arg(m_token.text));
        return m_error.isEmpty() ? std::move(root) : nullptr;
    }
    QString error() const { return m_error; }

private:
    void fail(const QString &why)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1 at column %2").arg(why).arg(m_token.column + 1);
    }

    bool isSymbol(const char *s) const
    {
        return m_token.type == Token::Type::Symbol && m_token.text == QLatin1String(s);
    }

    void next()
    {
        while (m_pos < m_text.size() && m_text[m_pos].isSpace())
            ++m_pos;
        m_token = {};
        m_token.column = int(m_pos);
        if (m_pos >= m_text.size())
            return;
        const QChar c = m_text[m_pos];
        if (c == QLatin1Char('"')) {
            QString s;
            ++m_pos;
            while (m_pos < m_text.size() && m_text[m_pos] != QLatin1Char('"')) {
                if (m_text[m_pos] == QLatin1Char('\\') && m_pos + 1 < m_text.size())
                    ++m_pos;
                s += m_text[m_pos++];
            }
            if (m_pos >= m_text.size()) {
                fail(QStringLiteral("unterminated string"));
                return;
            }
            ++m_pos;
            m_token.type = Token::Type::String;
            m_token.text = s;
            return;
        }
        if (c.isDigit() ||
            (c == QLatin1Char('-') && m_pos + 1 < m_text.size() && m_text[m_pos + 1].isDigit())) {
            const qsizetype start = m_pos++;
            while (m_pos < m_text.size() &&
                   (m_text[m_pos].isDigit() || m_text[m_pos] == QLatin1Char('.') ||
                    m_text[m_pos] == QLatin1Char('e') || m_text[m_pos] == QLatin1Char('E')))
                ++m_pos;
            m_token.type = Token::Type::Number;
            m_token.text = m_text.mid(start, m_pos - start);
            bool ok = false;
            m_token.number = m_token.text.toDouble(&ok);
            if (!ok)
                fail(QStringLiteral("\"%1\" is not a number").arg(m_token.text));
            return;
        }
        if (c.isLetter() || c == QLatin1Char('_')) {
            const qsizetype start = m_pos;
            while (m_pos < m_text.size() &&
                   (m_text[m_pos].isLetterOrNumber() || m_text[m_pos] == QLatin1Char('_') ||
                    m_text[m_pos] == QLatin1Char('-')))
                ++m_pos;
            m_token.type = Token::Type::Name;
            m_token.text = m_text.mid(start, m_pos - start);
            return;
        }
        static const char *const twoChar[] = {"&&", "||", "==", "!=", "<=", ">="};
        for (const char *s : twoChar)
            if (m_text.mid(m_pos, 2) == QLatin1String(s)) {
                m_token.type = Token::Type::Symbol;
                m_token.text = QLatin1String(s);
                m_pos += 2;
                return;
            }
        m_token.type = Token::Type::Symbol;
        m_token.text = c;
        ++m_pos;
    }

    std::unique_ptr<Node> binary(Node::Kind kind, std::unique_ptr<Node> l, std::unique_ptr<Node> r)
    {
        auto n = std::make_unique<Node>();
        n->kind = kind;
        n->left = std::move(l);
        n->right = std::move(r);
        return n;
    }

    std::unique_ptr<Node> parseOr()
    {
        auto left = parseAnd();
        while (left && isSymbol("||")) {
            next();
            auto right = parseAnd();
            if (!right)
                return nullptr;
            left = binary(Node::Kind::Or, std::move(left), std::move(right));
        }
        return left;
    }

    std::unique_ptr<Node> parseAnd()
    {
        auto left = parseUnary();
        while (left && isSymbol("&&")) {
            next();
            auto right = parseUnary();
            if (!right)
                return nullptr;
            left = binary(Node::Kind::And, std::move(left), std::move(right));
        }
        return left;
    }

    std::unique_ptr<Node> parseUnary()
    {
        if (isSymbol("!")) {
            next();
            auto inner = parseUnary();
            if (!inner)
                return nullptr;
            auto n = std::make_unique<Node>();
            n->kind = Node::Kind::Not;
            n->left = std::move(inner);
            return n;
        }
        return parseCompare();
    }

    std::unique_ptr<Node> parseCompare()
    {
        auto left = parseOperand();
        if (!left)
            return nullptr;
        static const std::pair<const char *, Node::Op> ops[] = {
            {"==", Node::Op::Eq}, {"!=", Node::Op::Ne}, {"<=", Node::Op::Le},
            {">=", Node::Op::Ge}, {"<", Node::Op::Lt},  {">", Node::Op::Gt}};
        std::optional<Node::Op> op;
        for (const auto &[symbol, o] : ops)
            if (isSymbol(symbol))
                op = o;
        if (m_token.type == Token::Type::Name && m_token.text == QLatin1String("contains"))
            op = Node::Op::Contains;
        if (m_token.type == Token::Type::Name && m_token.text == QLatin1String("matches"))
            op = Node::Op::Matches;
        if (!op)
            return left;
        next();
        auto right = parseOperand();
        if (!right)
            return nullptr;
        auto n = binary(Node::Kind::Compare, std::move(left), std::move(right));
        n->op = *op;
        if (*op == Node::Op::Matches) {
            if (n->right->kind != Node::Kind::Literal || !n->right->literal.isString()) {
                fail(QStringLiteral("\"matches\" wants a quoted pattern"));
                return nullptr;
            }
            n->regex = QRegularExpression(n->right->literal.toString());
            if (!n->regex->isValid()) {
                fail(QStringLiteral("bad pattern: %1").arg(n->regex->errorString()));
                return nullptr;
            }
        }
        return n;
    }

    std::unique_ptr<Node> parseOperand()
    {
        auto n = std::make_unique<Node>();
        switch (m_token.type) {
        case Token::Type::String:
            n->literal = m_token.text;
            next();
            return n;
        case Token::Type::Number:
            n->literal = m_token.number;
            next();
            return n;
        case Token::Type::Name:
            return parseName(std::move(n));
        case Token::Type::Symbol:
            if (isSymbol("(")) {
                next();
                auto inner = parseOr();
                if (!inner)
                    return nullptr;
                if (!isSymbol(")")) {
                    fail(QStringLiteral("expected \")\""));
                    return nullptr;
                }
                next();
                return inner;
            }
            break;
        case Token::Type::End:
            break;
        }
        fail(QStringLiteral("expected a value"));
        return nullptr;
    }

    std::unique_ptr<Node> parseName(std::unique_ptr<Node> n)
    {
        const QString name = m_token.text;
        if (name == QLatin1String("true") || name == QLatin1String("false")) {
            n->literal = name == QLatin1String("true");
            next();
            return n;
        }
        if (name == QLatin1String("null")) {
            n->literal = QJsonValue(QJsonValue::Null);
            next();
            return n;
        }
        static const QStringList roots = {QStringLiteral("key"),     QStringLiteral("value"),
                                          QStringLiteral("headers"), QStringLiteral("partition"),
                                          QStringLiteral("offset"),  QStringLiteral("timestamp")};
        if (!roots.contains(name)) {
            fail(QStringLiteral("unknown field \"%1\" (use key, value, headers, partition, "
                                "offset or timestamp)")
                     .arg(name));
            return nullptr;
        }
        n->kind = Node::Kind::Path;
        n->root = name;
        next();
        while (true) {
            if (isSymbol(".")) {
                next();
                if (m_token.type != Token::Type::Name && m_token.type != Token::Type::String) {
                    fail(QStringLiteral("expected a field name after \".\""));
                    return nullptr;
                }
                n->steps.emplace_back(m_token.text);
                next();
            } else if (isSymbol("[")) {
                next();
                if (m_token.type == Token::Type::Number)
                    n->steps.emplace_back(m_token.number);
                else if (m_token.type == Token::Type::String)
                    n->steps.emplace_back(m_token.text);
                else {
                    fail(QStringLiteral("expected an index"));
                    return nullptr;
                }
                next();
                if (!isSymbol("]")) {
                    fail(QStringLiteral("expected \"]\""));
                    return nullptr;
                }
                next();
            } else {
                return n;
            }
        }
    }

    const QString m_text;
    qsizetype m_pos = 0;
    Token m_token;
    QString m_error;
};

} // namespace

std::shared_ptr<const JsonExpr> JsonExpr::parse(const QString &text, QString *error)
{
    Parser parser(text);
    std::unique_ptr<Node> root = parser.parseAll();
    if (!root) {
        if (error)
            *error = parser.error();
        return {};
    }
    return std::shared_ptr<const JsonExpr>(new JsonExpr(std::move(root)));
}

} // namespace periscope::models
