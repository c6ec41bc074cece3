// cnn.onnx with one more 64→64 3×3 Conv+Relu after conv3 (~+30% MACs): a genuinely slower model.
import { readFileSync, writeFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
const { onnx } = onnxProto;
const [src, out, extra = '1'] = process.argv.slice(2);
const model = onnx.ModelProto.decode(readFileSync(src));
const g = model.graph;
const w3 = g.initializer.find((t) => t.name === 'conv3.weight');
const b3 = g.initializer.find((t) => t.name === 'conv3.bias');
const gapIndex = g.node.findIndex((n) => n.opType === 'GlobalAveragePool');
let input = g.node[gapIndex].input[0];
const added = [];
for (let k = 0; k < Number(extra); k++) {
  const conv = onnx.NodeProto.create({ name: `ExtraConv_${k}`, opType: 'Conv', input: [input, w3.name, b3.name], output: [`extra_conv_${k}`],
    attribute: [
      onnx.AttributeProto.create({ name: 'kernel_shape', type: onnx.AttributeProto.AttributeType.INTS, ints: [3, 3] }),
      onnx.AttributeProto.create({ name: 'pads', type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 1, 1, 1] }),
    ] });
  const relu = onnx.NodeProto.create({ name: `ExtraRelu_${k}`, opType: 'Relu', input: [`extra_conv_${k}`], output: [`extra_relu_${k}`] });
  added.push(conv, relu);
  input = `extra_relu_${k}`;
}
g.node[gapIndex].input[0] = input;
g.node.splice(gapIndex, 0, ...added);
writeFileSync(out, onnx.ModelProto.encode(model).finish());
console.log(out, g.node.length, 'nodes');
