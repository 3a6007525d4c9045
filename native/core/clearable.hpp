#pragma once
// The one thing a run-group loop asks of whoever drives it beyond plain data: a way to end an epoch
// (gc-churn's clear() every M operations). AnyPool implements it; a loop gets it through
// GroupLoopState::clearer. Implementations must be safe to call while other threads get and put.
namespace poolscope {

class Clearable {
 public:
  virtual void clear() = 0;

 protected:
  ~Clearable() = default;  // not owned through this interface
};

}  // namespace poolscope
