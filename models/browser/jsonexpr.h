#pragma once

// A small expression language over a message, for the browser's field filter:
//   value.order.total > 100 && key == "eu-1"
// Grammar (docs/message-filter.md has examples):
//   expr    := and ('||' and)*
//   and     := unary ('&&' unary)*
//   unary   := '!' unary | compare
//   compare := operand (('=='|'!='|'<'|'<='|'>'|'>='|'contains'|'matches') operand)?
//   operand := path | "string" | number | true | false | null | '(' expr ')'
//   path    := root ('.' name | '[' index ']')*   root: key value headers partition
//                                                       offset timestamp
// key and value are decoded as JSON when they are JSON, else they are text; headers.NAME
// is that header's value as text. A missing field is null: == null holds, != anything
// else holds, and it is never <, >, contains or matches anything.

#include "client/messagebatch.h"

#include <QJsonValue>
#include <QString>
#include <memory>

namespace periscope::models {

class JsonExpr final
{
public:
    // Null with *error set when the text does not parse ("expected a value at column 7").
    static std::shared_ptr<const JsonExpr> parse(const QString &text, QString *error);
    ~JsonExpr();

    bool matches(const client::MessageBatch &batch, qsizetype i) const;

    struct Node;

private:
    explicit JsonExpr(std::unique_ptr<Node> root);
    std::unique_ptr<Node> m_root;
};

} // namespace periscope::models
