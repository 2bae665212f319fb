#include "runtime/control_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace pasban::runtime {
namespace {

std::string json_string(std::string_view s) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.String(s.data(), rapidjson::SizeType(s.size()));
  return b.GetString();
}

std::string reply_json(bool ok, const std::string& message_json) {
  std::string out = ok ? R"({"return":"OK")" : R"({"return":"NOK")";
  if (!message_json.empty()) out += R"(,"message":)" + message_json;
  out += '}';
  return out;
}

bool fill_address(const std::string& path, sockaddr_un& addr) {
  addr = {};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return true;
}

// A socket file someone still accepts connections on.
bool socket_in_use(const sockaddr_un& addr) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const bool live = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return live;
}

}  // namespace

CommandReply CommandReply::text(std::string_view s) { return {true, json_string(s)}; }
CommandReply CommandReply::json(std::string value_json) { return {true, std::move(value_json)}; }
CommandReply CommandReply::error(std::string_view s) { return {false, json_string(s)}; }

int next_json_message(std::string_view buffer, size_t& used, std::string& error) {
  size_t start = 0;
  while (start < buffer.size() && std::strchr(" \t\r\n", buffer[start]) && buffer[start] != '\0')
    ++start;
  if (start == buffer.size()) return 0;
  rapidjson::MemoryStream ms(buffer.data() + start, buffer.size() - start);
  rapidjson::Document doc;
  doc.ParseStream<rapidjson::kParseStopWhenDoneFlag>(ms);
  if (!doc.HasParseError()) {
    used = start + ms.Tell();
    return 1;
  }
  // The parser ran out of bytes: the message is still arriving.
  if (start + doc.GetErrorOffset() >= buffer.size()) return 0;
  error = std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " at byte " +
          std::to_string(start + doc.GetErrorOffset());
  return -1;
}

core::Result<std::unique_ptr<ControlSocket>> ControlSocket::open(const std::string& path) {
  sockaddr_un addr;
  if (!fill_address(path, addr))
    return core::make_error("unix socket " + path + ": path empty or longer than " +
                            std::to_string(sizeof addr.sun_path - 1) + " bytes");
  if (socket_in_use(addr))
    return core::make_error("unix socket " + path + ": in use by another process");
  ::unlink(path.c_str());  // a file left by a process that died
  std::unique_ptr<ControlSocket> s(new ControlSocket());
  s->listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s->listen_fd_ < 0) return core::make_error("unix socket: " + std::string(std::strerror(errno)));
  if (::bind(s->listen_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(s->listen_fd_, 16) != 0)
    return core::make_error("unix socket " + path + ": " + std::strerror(errno));
  s->path_ = path;
  s->stop_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (s->stop_fd_ < 0) return core::make_error("unix socket: eventfd: " + std::string(std::strerror(errno)));
  return s;
}

ControlSocket::~ControlSocket() {
  stop();
  if (stop_fd_ >= 0) ::close(stop_fd_);
}

void ControlSocket::add(std::string name, CommandHandler handler) {
  handlers_[std::move(name)] = std::move(handler);
}

void ControlSocket::start() {
  if (thread_.joinable() || listen_fd_ < 0) return;
  // Process signals belong to the packet thread (they interrupt its read).
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  thread_ = std::thread([this] { serve(); });
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

void ControlSocket::stop() {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    ssize_t n = ::write(stop_fd_, &one, sizeof one);
    (void)n;
    thread_.join();
  }
  for (auto& c : clients_) ::close(c->fd);
  clients_.clear();
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
    ::unlink(path_.c_str());
  }
}

void ControlSocket::serve() {
  std::vector<pollfd> fds;
  for (;;) {
    fds.clear();
    fds.push_back({stop_fd_, POLLIN, 0});
    fds.push_back({listen_fd_, POLLIN, 0});
    for (auto& c : clients_)
      fds.push_back({c->fd, short(POLLIN | (c->out.empty() ? 0 : POLLOUT)), 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents) return;
    if (fds[1].revents & POLLIN) accept_clients();
    for (size_t i = 0; i + 2 < fds.size() && i < clients_.size(); ++i) {
      Client& c = *clients_[i];
      if (fds[i + 2].revents & (POLLIN | POLLHUP | POLLERR)) read_client(c);
      if (!c.out.empty() && c.fd >= 0) write_client(c);
      if (c.closing && c.out.empty() && c.fd >= 0) {
        ::close(c.fd);
        c.fd = -1;
      }
    }
    std::erase_if(clients_, [](const auto& c) { return c->fd < 0; });
  }
}

void ControlSocket::accept_clients() {
  for (;;) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    if (clients_.size() >= kMaxClients) {
      const std::string busy = reply_json(false, json_string("too many clients")) + "\n";
      ssize_t n = ::send(fd, busy.data(), busy.size(), MSG_NOSIGNAL);
      (void)n;
      ::close(fd);
      continue;
    }
    auto c = std::make_unique<Client>();
    c->fd = fd;
    clients_.push_back(std::move(c));
  }
}

void ControlSocket::read_client(Client& c) {
  char buf[8192];
  bool eof = false;
  for (;;) {
    const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
    if (n > 0) {
      if (!c.closing) c.in.append(buf, size_t(n));  // after a NOK the rest is discarded
      if (c.in.size() > kMaxMessageBytes) break;     // answered below
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    // End of input or a dead connection; what arrived is still answered.
    eof = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
    break;
  }
  while (!c.closing && !c.in.empty()) {
    size_t used = 0;
    std::string err;
    const int r = next_json_message(c.in, used, err);
    if (r == 0 && c.in.size() <= kMaxMessageBytes) break;
    if (r <= 0 || used > kMaxMessageBytes) {
      const std::string why = r < 0 ? "invalid JSON: " + err
                                    : "message larger than " + std::to_string(kMaxMessageBytes) +
                                          " bytes";
      c.out += reply_json(false, json_string(why)) + "\n";
      c.closing = true;
      break;
    }
    bool close_client = false;
    c.out += answer(std::string_view(c.in).substr(0, used), c.handshake_done, close_client) + "\n";
    c.in.erase(0, used);
    if (close_client) c.closing = true;
  }
  if (eof) c.closing = true;
  if (c.out.size() > kMaxPendingOutput) {
    // A client that sends without reading: it loses its answers.
    c.out.clear();
    c.closing = true;
  }
}

void ControlSocket::write_client(Client& c) {
  while (!c.out.empty()) {
    const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      c.out.erase(0, size_t(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    c.out.clear();  // the client went away
    c.closing = true;
    return;
  }
}

std::string ControlSocket::answer(std::string_view request, bool& handshake_done,
                                  bool& close_client) {
  rapidjson::Document doc;
  doc.Parse(request.data(), request.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    close_client = true;
    return reply_json(false, json_string("invalid request: not a JSON object"));
  }
  if (!handshake_done) {
    auto v = doc.FindMember("version");
    if (v == doc.MemberEnd() || !v->value.IsString()) {
      close_client = true;
      return reply_json(false, json_string("expected the version handshake {\"version\": \"0.2\"}"));
    }
    const std::string_view ver(v->value.GetString(), v->value.GetStringLength());
    if (ver != "0.1" && ver != "0.2") {
      close_client = true;
      return reply_json(false, json_string("unsupported protocol version " + std::string(ver) +
                                           " (this server speaks 0.2)"));
    }
    handshake_done = true;
    return reply_json(true, "");
  }
  return run_command(doc);
}

std::string ControlSocket::run_command(const rapidjson::Document& doc) {
  auto cmd = doc.FindMember("command");
  if (cmd == doc.MemberEnd() || !cmd->value.IsString())
    return reply_json(false, json_string("request has no \"command\" string"));
  const std::string name(cmd->value.GetString(), cmd->value.GetStringLength());
  const rapidjson::Value* args = nullptr;
  if (auto a = doc.FindMember("arguments"); a != doc.MemberEnd()) {
    if (!a->value.IsObject()) return reply_json(false, json_string("\"arguments\" must be an object"));
    args = &a->value;
  }
  if (name == "command-list" || name == "help") return reply_json(true, command_list_json());
  auto it = handlers_.find(name);
  if (it == handlers_.end()) return reply_json(false, json_string("Unknown command '" + name + "'"));
  CommandReply r = it->second(args);
  return reply_json(r.ok, r.message_json);
}

std::string ControlSocket::command_list_json() const {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.StartObject();
  w.Key("count");
  w.Uint(unsigned(handlers_.size() + 2));
  w.Key("commands");
  w.StartArray();
  for (const char* builtin : {"command-list", "help"}) w.String(builtin);
  for (const auto& [name, handler] : handlers_) w.String(name.c_str());
  w.EndArray();
  w.EndObject();
  return b.GetString();
}

}  // namespace pasban::runtime
