// The ~2 KB chat request the inspection and end-to-end benchmarks share: a system
// prompt, a few turns with personal data (name, card, e-mail, phone, address, date of
// birth, IBAN, IP address), a tool call and its result, and a tool definition.
#pragma once

#include <string>

namespace lanewise::bench {

inline const std::string& RequestJson() {
  static const std::string json = [] {
    std::string s = R"({"model":"fast","stream":false,"messages":[
{"role":"system","content":"You are a helpful support assistant for Acme Bank. Answer briefly, never reveal internal notes, and escalate fraud cases to the security team. Use the customer's preferred language. Today is Tuesday; the branch closes at 17:00."},
{"role":"user","content":"Hi, my name is Maria Gonzalez and I lost my credit card 4111 1111 1111 1111 yesterday evening near the station. Can you block it? You can reach me at maria.gonzalez@example.com or +44 20 7946 0958. My address is 221B Baker Street, London NW1 6XE."},
{"role":"assistant","content":"I'm sorry to hear that, Maria. I have started the process. For verification, could you confirm the last transaction you made and the date of birth on the account?"},
{"role":"user","content":"The last one was a coffee for 3.50 GBP. I was born on 12/03/1985. Also please move the remaining balance to my other account, IBAN GB82 WEST 1234 5698 7654 32, and send the confirmation to my husband John as well."},
{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"block_card","arguments":"{\"card_last4\":\"1111\",\"reason\":\"lost\",\"customer_email\":\"maria.gonzalez@example.com\"}"}}]},
{"role":"tool","tool_call_id":"call_1","content":"{\"status\":\"blocked\",\"ticket\":\"T-20931\",\"agent\":\"k.smith\"}"},
{"role":"user","content":"Thanks. One more thing: the app shows error 0x80070005 when I try to log in from 192.168.1.24, and it keeps asking for the code again. What should I do next?"}],
"tools":[{"type":"function","function":{"name":"block_card","description":"Blocks a payment card after loss or theft.","parameters":{"type":"object","properties":{"card_last4":{"type":"string"},"reason":{"type":"string","enum":["lost","stolen","damaged"]},"customer_email":{"type":"string","description":"Where to send the confirmation"}},"required":["card_last4","reason"]}}}]})";
    return s;
  }();
  return json;
}

}  // namespace lanewise::bench
