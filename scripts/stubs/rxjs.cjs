// Stands in for rxjs in the CLI bundle. neo4j-driver loads rxjs for its reactive API (RxSession)
// only; Repograph uses the promise API. Each property is a function that throws, so anything
// that does reach for the reactive API fails with this message rather than something obscure.
const unavailable = () => {
  throw new Error("neo4j-driver's reactive API is not available in Repograph's bundle (rxjs is left out; use the promise API)");
};
module.exports = new Proxy({}, { get: (_target, key) => (key === '__esModule' || typeof key === 'symbol' ? undefined : unavailable) });
